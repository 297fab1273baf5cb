import { describe, expect, it } from 'vitest';
import { type EngineSnapshot, engineDifferences } from './engine-snapshot.js';

const before: EngineSnapshot = {
  swarm: 'inactive',
  containers: ['aaa default-gateway'],
  networks: ['n1 bridge', 'n2 host'],
  volumes: ['user-data'],
  images: ['w2meet/local-base:0aae sha256:1', 'debian:12 sha256:2'],
};

describe('engineDifferences', () => {
  it('finds nothing when the Engine is as it was', () => {
    expect(engineDifferences(before, structuredClone(before))).toEqual([]);
  });

  it('names what was added and what was removed, of every kind, and a swarm joined', () => {
    const after: EngineSnapshot = {
      swarm: 'active node1',
      containers: [],
      networks: ['n1 bridge', 'n2 host', 'n3 w2meet-it'],
      volumes: ['user-data', 'w2meet-it-pg'],
      images: ['w2meet/local-base:0aae sha256:1', 'debian:12 sha256:3'],
    };
    expect(engineDifferences(before, after)).toEqual([
      'swarm state was "inactive", is "active node1"',
      'removed container aaa default-gateway',
      'added network n3 w2meet-it',
      'added volume w2meet-it-pg',
      'added image debian:12 sha256:3',
      'removed image debian:12 sha256:2',
    ]);
  });
});
