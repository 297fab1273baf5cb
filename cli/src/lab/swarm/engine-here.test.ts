import { describe, expect, it } from 'vitest';
import { PrerequisiteError } from '../../errors.js';
import { engineOnThisMachine, gatewayTunnel, remoteManager, requireSafeRemote } from './engine-here.js';

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
    // host:port alone is TCP, as the Docker client reads it.
    expect(remoteManager({ DOCKER_HOST: 'manager.lan:2376' })).toBe('manager.lan');
    expect(remoteManager({ DOCKER_HOST: '127.0.0.1:2375' })).toBeNull();
  });

  it('makes a lab on another machine over TLS only: plain TCP and SSH (no host key check) are refused', () => {
    const refused = (env: NodeJS.ProcessEnv) => () => requireSafeRemote(env);
    expect(refused({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toThrow(PrerequisiteError);
    expect(refused({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toThrow(/TCP without TLS/);
    expect(refused({ DOCKER_HOST: 'ssh://ana@manager.lan' })).toThrow(/SSH without a check of its host key/);
    expect(refused({ DOCKER_HOST: 'manager.lan:2375' })).toThrow(PrerequisiteError);
    for (const env of [
      { DOCKER_HOST: 'tcp://10.0.0.5:2376' },
      { DOCKER_HOST: 'tcp://10.0.0.5:2377', DOCKER_TLS_VERIFY: '1' },
      { DOCKER_HOST: 'tcp://127.0.0.1:2375' },
      {},
    ])
      expect(refused(env), JSON.stringify(env)).not.toThrow();
  });
});

describe('gatewayTunnel', () => {
  it('forwards the same port, so the lab keeps one gateway URL', () => {
    expect(gatewayTunnel('manager.lan', 'http://127.0.0.1:18080')).toBe(
      'the gateway listens on 127.0.0.1:18080 of manager.lan; reach it from here with `ssh -N -o ExitOnForwardFailure=yes -L 18080:127.0.0.1:18080 manager.lan`',
    );
  });

  it('with --expose-infra, names the infrastructure’s ports and forwards them in the same tunnel', () => {
    expect(gatewayTunnel('manager.lan', 'http://127.0.0.1:18080', { postgres: 41001, rabbitmq: 41003 })).toBe(
      'the gateway listens on 127.0.0.1:18080 of manager.lan (postgres on 41001, rabbitmq on 41003); reach it from here with `ssh -N -o ExitOnForwardFailure=yes -L 18080:127.0.0.1:18080 -L 41001:127.0.0.1:41001 -L 41003:127.0.0.1:41003 manager.lan`',
    );
  });
});
