import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requestLogDir, requestLogFiles } from './request-logs.js';

const dir = mkdtempSync(join(tmpdir(), 'w2meet-request-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a Docker lab’s request log files', () => {
  it('are read where the instance wrote one, older half first, and never through a link', () => {
    writeFileSync(join(dir, 'user-service.log'), '{}\n');
    expect(requestLogFiles(dir, 'user-service')).toEqual([join(dir, 'user-service.log.1'), join(dir, 'user-service.log')]);
    expect(requestLogFiles(dir, 'redis')).toEqual([]);
    symlinkSync('/etc/hostname', join(dir, 'gateway.log'));
    expect(requestLogFiles(dir, 'gateway')).toEqual([]);
    expect(requestLogFiles(null, 'user-service')).toEqual([]);
  });

  it('go to a folder of the lab only for a local Engine, as root, unless asked to stay on stdout', () => {
    const env = { W2MEET_STATE_DIR: dir };
    const asRoot = process.getuid?.() === 0;
    expect(requestLogDir('demo', env)).toBe(asRoot ? join(dir, 'demo', 'docker-logs') : null);
    expect(requestLogDir('demo', { ...env, DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toBeNull();
    expect(requestLogDir('demo', { ...env, W2MEET_REQUEST_LOGS: 'engine' })).toBeNull();
  });
});
