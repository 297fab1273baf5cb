import { describe, expect, it } from 'vitest';
import { pinned, registryName } from './swarm-images.js';

describe('registryName', () => {
  it("names an image pulled from a registry by the registry's own name, which every node can pull", () => {
    expect(registryName('w2meet/mirror/postgres:16-bookworm', '10.0.0.5:5000')).toBe('10.0.0.5:5000/postgres:16-bookworm');
    expect(registryName('nginx:1.27-bookworm', '10.0.0.5:5000')).toBe('10.0.0.5:5000/nginx:1.27-bookworm');
  });
});

describe('pinned', () => {
  it('names the exact image pushed by its digest, the tag kept for people to read', () => {
    expect(pinned('10.0.0.5:5000/w2meet/user-service:abc', 'sha256:0123')).toBe('10.0.0.5:5000/w2meet/user-service:abc@sha256:0123');
    expect(pinned('10.0.0.5:5000/postgres:16-bookworm', '')).toBe('10.0.0.5:5000/postgres:16-bookworm');
  });
});
