import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { identityOf, isSameProcess, startTimeOf, type ProcFs } from './process-identity.js';

function fakeProc(files: Record<string, string>): ProcFs {
  return {
    read(path) {
      if (!(path in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[path]!;
    },
  };
}
// Field 22 (starttime) is 4242 in this line; the command name holds a space and a parenthesis.
const stat = (state: string, start: string) =>
  `123 (a (b) c) ${state} 1 123 123 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${start} 1000 50 18446744073709551615`;

describe('process identity', () => {
  it('reads the start tick after the last parenthesis of the command name', () => {
    expect(startTimeOf(123, fakeProc({ '/proc/123/stat': stat('S', '4242') }))).toBe('4242');
  });

  it('a zombie or a missing pid has no identity', () => {
    expect(startTimeOf(123, fakeProc({ '/proc/123/stat': stat('Z', '4242') }))).toBeNull();
    expect(identityOf(123, fakeProc({}))).toBeNull();
  });

  it('a reused pid (same pid, another start tick or another boot) is another process', () => {
    const now = fakeProc({ '/proc/123/stat': stat('S', '9999'), '/proc/sys/kernel/random/boot_id': 'boot-a\n' });
    expect(isSameProcess({ pid: 123, startTime: '4242', bootId: 'boot-a' }, now)).toBe(false);
    expect(isSameProcess({ pid: 123, startTime: '9999', bootId: 'boot-b' }, now)).toBe(false);
    expect(isSameProcess({ pid: 123, startTime: '9999', bootId: 'boot-a' }, now)).toBe(true);
  });

  it('names a real running process, and no longer once it has exited', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const id = identityOf(child.pid!);
      expect(id).not.toBeNull();
      expect(isSameProcess(id!)).toBe(true);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(isSameProcess(id!)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
