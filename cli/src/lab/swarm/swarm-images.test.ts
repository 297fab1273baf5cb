import { describe, expect, it } from 'vitest';
import { registryName } from './swarm-images.js';

describe('registryName', () => {
  it("names an image pulled from a registry by the registry's own name, which every node can pull", () => {
    expect(registryName('w2meet/mirror/postgres:16-bookworm', '10.0.0.5:5000')).toBe('10.0.0.5:5000/postgres:16-bookworm');
    expect(registryName('nginx:1.27-bookworm', '10.0.0.5:5000')).toBe('10.0.0.5:5000/nginx:1.27-bookworm');
  });
});
