import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError, CommandError, W2meetError } from '../errors.js';
import { FORCE_KILL_AFTER_MS, runChildCommand } from './child-command.js';

/** The live (not zombie) processes whose process group is `pgid`, read from /proc. */
function liveInGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name's last parenthesis: state, ppid, pgrp, ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') out.push(Number(entry));
    } catch {
      /* gone while read */
    }
  }
  return out;
}

/**
 * Runs `script` under sh; resolves with the shell's pid (its group's id) once it has said it and,
 * when `ready` is given, once the script has printed that line too (a trap set, say).
 */
function startShell(script: string, signal: AbortSignal, ready?: string) {
  let said: (pid: number) => void;
  const pgid = new Promise<number>((r) => {
    said = r;
  });
  let pid: number | null = null;
  let isReady = ready === undefined;
  const done = runChildCommand('sh', ['-c', `echo "pid $$"; ${script}`], {
    signal,
    onLine: (l) => {
      const m = /^pid (\d+)$/.exec(l);
      if (m) pid = Number(m[1]);
      if (l === ready) isReady = true;
      if (pid !== null && isReady) said(pid);
    },
  });
  return { pgid, done };
}

const groups: number[] = [];
afterEach(() => {
  // Whatever a failed test left behind is not left running.
  for (const g of groups.splice(0)) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

describe('runChildCommand', () => {
  it('resolves with what the command printed on stdout and stderr, each line given to onLine as it comes', async () => {
    const lines: string[] = [];
    const out = await runChildCommand('sh', ['-c', 'echo to-stdout; echo to-stderr >&2'], { onLine: (l) => lines.push(l) });
    expect(out).toContain('to-stdout');
    expect(out).toContain('to-stderr');
    expect(lines.sort()).toEqual(['to-stderr', 'to-stdout']);
  });

  it("a non-zero exit rejects with the command's stderr and its exit code in the message, under the caller's code", async () => {
    const err = await runChildCommand('sh', ['-c', 'echo oops >&2; exit 3'], { code: 'LAB_START' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(W2meetError);
    expect((err as W2meetError).code).toBe('LAB_START');
    expect((err as W2meetError).message).toMatch(/^sh failed \(exit 3\):\noops$/);
  });

  it('a command killed by a signal says which signal; with no code of the caller it is a CommandError', async () => {
    const err = await runChildCommand('sh', ['-c', 'echo dying >&2; kill -KILL $$']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as W2meetError).message).toMatch(/^sh failed \(killed by SIGKILL\):\ndying$/);
  });

  it("keeps only the tail of a long output in the failure's message", async () => {
    const err = await runChildCommand('sh', ['-c', 'seq 1 200000; echo last-words >&2; exit 1']).catch((e: unknown) => e);
    const message = (err as W2meetError).message;
    expect(message.length).toBeLessThan(4200);
    expect(message).toMatch(/last-words$/);
    expect(message).toContain('199999');
    expect(message).not.toContain('\n1\n2\n3\n');
  });

  it('a missing program rejects with a clear error, not a crash', async () => {
    const err = await runChildCommand('w2meet-no-such-program', ['--version'], { code: 'IMAGE_BUILD' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(W2meetError);
    expect((err as W2meetError).code).toBe('IMAGE_BUILD');
    expect((err as W2meetError).message).toBe(
      'w2meet-no-such-program could not start: no such program (not on the PATH, or not at that path) (ENOENT)',
    );
  });

  it("a given environment is the whole environment, as with spawn; none means this process's", async () => {
    process.env.W2MEET_CHILD_COMMAND_TEST = 'inherited';
    try {
      expect(await runChildCommand('sh', ['-c', 'echo "[$W2MEET_CHILD_COMMAND_TEST]"'])).toBe('[inherited]\n');
      expect(
        await runChildCommand('sh', ['-c', 'echo "[$W2MEET_CHILD_COMMAND_TEST][$ONLY]"'], {
          env: { PATH: process.env.PATH, ONLY: 'given' },
        }),
      ).toBe('[][given]\n');
    } finally {
      delete process.env.W2MEET_CHILD_COMMAND_TEST;
    }
  });

  it('an already aborted signal rejects without starting the command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-child-'));
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(runChildCommand('touch', [join(dir, 'ran')], { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
      expect(existsSync(join(dir, 'ran'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after an abort it settles only once the whole group is gone, a helper slow to stop included', async () => {
    const controller = new AbortController();
    // A helper that takes 300 ms to stop after SIGTERM and holds no pipe, so the command itself
    // ends (and execa settles) well before it does.
    const { pgid, done } = startShell(
      '( trap "sleep 0.3; exit 0" TERM; while :; do sleep 0.05; done ) >/dev/null 2>&1 & sleep 30',
      controller.signal,
    );
    const group = await pgid;
    groups.push(group);
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(AbortedError);
    expect(liveInGroup(group)).toEqual([]);
  });

  it('an abort ends the command and the helpers it started (its whole process group) within 2 s', async () => {
    const controller = new AbortController();
    const { pgid, done } = startShell('sleep 30 & sleep 30; wait', controller.signal);
    const group = await pgid;
    groups.push(group);
    expect(liveInGroup(group).length).toBeGreaterThanOrEqual(2);
    const started = Date.now();
    controller.abort();
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as AbortedError).message).toBe('interrupted while sh ran');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(liveInGroup(group)).toEqual([]);
  });

  it(
    'a helper that ignores SIGTERM and holds the output open is killed with the group after the grace period',
    async () => {
      const controller = new AbortController();
      // The subshell's sleep inherits the ignored SIGTERM and keeps stdout open after sh is gone.
      // The abort waits for the trap: sent before it, SIGTERM would end the subshell at once.
      const { pgid, done } = startShell('(trap "" TERM; echo trapped; sleep 30) & sleep 30', controller.signal, 'trapped');
      const group = await pgid;
      groups.push(group);
      const started = Date.now();
      controller.abort();
      const err = await done.catch((e: unknown) => e);
      const took = Date.now() - started;
      expect(err).toBeInstanceOf(AbortedError);
      expect(took).toBeGreaterThanOrEqual(FORCE_KILL_AFTER_MS - 100);
      expect(took).toBeLessThan(FORCE_KILL_AFTER_MS + 3000);
      expect(liveInGroup(group)).toEqual([]);
    },
    FORCE_KILL_AFTER_MS + 10_000,
  );
});
