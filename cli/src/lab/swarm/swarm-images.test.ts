import { describe, expect, it } from 'vitest';
import { localName, pinned, registryName } from './swarm-images.js';

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

describe('localName', () => {
  it("names w2meet's own images under localhost/, never as Docker Hub names; official images keep theirs", () => {
    expect(localName('w2meet/user-service:abc')).toBe('localhost/w2meet/user-service:abc');
    expect(localName('w2meet/local-base:0aae')).toBe('localhost/w2meet/local-base:0aae');
    expect(localName('postgres:16-bookworm')).toBe('postgres:16-bookworm');
  });
});
