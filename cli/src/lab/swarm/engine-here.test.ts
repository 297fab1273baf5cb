import { describe, expect, it } from 'vitest';
import { PrerequisiteError } from '../../errors.js';
import { engineOnThisMachine, requireEngineOnThisMachine } from './engine-here.js';

describe('engineOnThisMachine', () => {
  it('takes the default socket, any unix socket and TCP on loopback for this machine', () => {
    for (const DOCKER_HOST of [
      undefined,
      'unix:///run/w2meet-node2/run/docker.sock',
      'tcp://127.0.0.1:2375',
      'tcp://localhost:2376',
      'tcp://[::1]:2375',
      'tcp://0.0.0.0:2375',
    ])
      expect(engineOnThisMachine({ DOCKER_HOST }), String(DOCKER_HOST)).toBe(true);
  });

  it('takes TCP or SSH to another address for another machine, and refuses to make a swarm lab there', () => {
    for (const DOCKER_HOST of ['tcp://10.0.0.5:2375', 'ssh://ana@manager.lan', 'not a url']) {
      expect(engineOnThisMachine({ DOCKER_HOST }), DOCKER_HOST).toBe(false);
      expect(() => requireEngineOnThisMachine({ DOCKER_HOST })).toThrow(PrerequisiteError);
    }
    expect(() => requireEngineOnThisMachine({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toThrow(/another machine/);
  });
});
