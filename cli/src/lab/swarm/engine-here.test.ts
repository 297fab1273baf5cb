import { describe, expect, it } from 'vitest';
import { engineOnThisMachine, gatewayTunnel, remoteManager } from './engine-here.js';

describe('engineOnThisMachine', () => {
  it('takes the default socket, any unix socket and TCP on loopback for this machine', () => {
    for (const DOCKER_HOST of [
      undefined,
      'unix:///run/w2meet-node2/run/docker.sock',
      'tcp://127.0.0.1:2375',
      'tcp://localhost:2376',
      'tcp://[::1]:2375',
      'tcp://0.0.0.0:2375',
    ]) {
      expect(engineOnThisMachine({ DOCKER_HOST }), String(DOCKER_HOST)).toBe(true);
      expect(remoteManager({ DOCKER_HOST }), String(DOCKER_HOST)).toBeNull();
    }
  });

  it('takes TCP or SSH to another address for another machine, and names its host', () => {
    expect(remoteManager({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toBe('10.0.0.5');
    expect(remoteManager({ DOCKER_HOST: 'ssh://ana@manager.lan' })).toBe('ana@manager.lan');
    expect(remoteManager({ DOCKER_HOST: 'not a url' })).toBe('not a url');
    expect(engineOnThisMachine({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toBe(false);
  });
});

describe('gatewayTunnel', () => {
  it('forwards the same port, so the lab keeps one gateway URL', () => {
    expect(gatewayTunnel('manager.lan', 'http://127.0.0.1:18080')).toContain('ssh -N -L 18080:127.0.0.1:18080 manager.lan');
  });
});
