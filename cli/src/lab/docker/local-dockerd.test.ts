import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localUserlandProxy } from './userland-proxy.js';

// A /proc of our own: each process a folder with comm, status, cmdline and exe, as the kernel shows them.
const root = mkdtempSync(join(tmpdir(), 'w2meet-proc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function procWith(processes: Array<{ uid: number; exe: string; args: string[] }>): string {
  const proc = join(root, `proc-${n++}`);
  processes.forEach((p, i) => {
    const dir = join(proc, String(100 + i));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'comm'), 'dockerd\n');
    writeFileSync(join(dir, 'status'), `Name:\tdockerd\nUid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}\n`);
    writeFileSync(join(dir, 'cmdline'), `${['dockerd', ...p.args].join('\0')}\0`);
    symlinkSync(p.exe, join(dir, 'exe'));
  });
  return proc;
}

// An executable root owns and only root can change, as /usr/sbin/dockerd is.
const rootsBinary = '/usr/bin/env';

describe('which dockerd doctor believes', () => {
  it("takes root's Engine at its word", () => {
    expect(localUserlandProxy(procWith([{ uid: 0, exe: rootsBinary, args: ['--userland-proxy=false'] }]))).toBe(false);
  });

  it("passes over a local user's process named dockerd, and one run from a file others can change", () => {
    const writable = join(root, 'dockerd-anyone-writes');
    writeFileSync(writable, '');
    chmodSync(writable, 0o777);
    const fakes = [
      { uid: 1000, exe: rootsBinary, args: ['--userland-proxy=false'] },
      { uid: 0, exe: writable, args: ['--userland-proxy=false'] },
    ];
    expect(localUserlandProxy(procWith(fakes))).toBeNull();
  });

  it('does not hang on a FIFO given as its config file, and takes the default', () => {
    const fifo = join(root, 'daemon.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(localUserlandProxy(procWith([{ uid: 0, exe: rootsBinary, args: ['--config-file', fifo] }]))).toBe(true);
  });
});
