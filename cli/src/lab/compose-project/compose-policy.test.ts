import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hostAccessInConfig, hostAccessInFile, insideFolder } from './compose-policy.js';

// What Debian's docker-compose 1.29 printed for `config` of each file (fixtures/README.md).
const fixture = (name: string) => parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'), { merge: true });

describe('a compose file that reaches the grading machine', () => {
  it('is found out on what compose resolved, each service and key named', () => {
    expect(hostAccessInConfig(fixture('host-reaching.config-v1.yml'), '/tmp/evil')).toEqual([
      'service app: privileged',
      'service app: pid: host',
      'service app: network_mode: host',
      'service app: cap_add "SYS_ADMIN"',
      'service app: devices "/dev/sda:/dev/sda"',
      'service app: security_opt "apparmor:unconfined"',
      "service app: volumes (a bind mount of /, outside the file's folder)",
      "service app: volumes (a bind mount of /etc, outside the file's folder)",
      'service web: ipc: host',
      'service web: userns_mode: host',
      "service web: build context /tmp, outside the file's folder",
      "service web: build dockerfile /tmp/Dockerfile, outside the file's folder",
      "secrets s1: file /root/.ssh/id_rsa, outside the file's folder",
    ]);
  });

  it('and on the file as written for what config inlines: an env_file outside its folder', () => {
    expect(hostAccessInFile(fixture('host-reaching.compose.yml'), '/tmp/evil')).toEqual([
      "service app: env_file /etc/hostname, outside the file's folder",
    ]);
  });
});

describe("the course's own compose file", () => {
  it('reaches nothing: builds in its folder, publishes on 127.0.0.1, no mounts', () => {
    expect(hostAccessInConfig(fixture('course.config-v1.yml'), '/tmp/course-copy')).toEqual([]);
  });
});

describe('a path inside the folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is inside; a link in the folder to a folder outside is not', () => {
    mkdirSync(join(dir, 'data'));
    symlinkSync('/etc', join(dir, 'etc-link'));
    expect(insideFolder('./data', dir)).toBe(true);
    expect(insideFolder(join(dir, 'not-yet-made'), dir)).toBe(true);
    expect(insideFolder(join(dir, 'etc-link'), dir)).toBe(false);
    expect(insideFolder('../', dir)).toBe(false);
  });
});
