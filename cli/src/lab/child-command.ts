import type { SpawnOptions } from 'node:child_process';
import { execa, type ExecaError } from 'execa';
import { groupAlive } from './process-group.js';
import { AbortedError, CommandError, W2meetError } from '../errors.js';

export interface ChildCommandOptions extends Pick<SpawnOptions, 'cwd' | 'uid' | 'gid' | 'env'> {
  /** Each line it prints, as it prints it. */
  onLine?: (line: string) => void;
  /** Ctrl-C: the command and everything it started are ended, and the promise rejects with AbortedError. */
  signal?: AbortSignal;
  /** The error code of a failure, for the message. */
  code?: string;
}

/** After SIGTERM, how long a command and its helpers get before SIGKILL. */
export const FORCE_KILL_AFTER_MS = 5000;
/** How much of what a command printed is kept (the resolved value) and shown in a failure. */
const KEPT_CHARS = 8000;
const SHOWN_CHARS = 4000;

/** The last `max` characters of what a command printed, kept as lines so memory stays bounded. */
export class OutputTail {
  private lines: string[] = [];
  private chars = 0;

  constructor(private readonly max = KEPT_CHARS) {}

  push(line: string): void {
    this.lines.push(line);
    this.chars += line.length + 1;
    while (this.chars > this.max && this.lines.length > 1) this.chars -= this.lines.shift()!.length + 1;
  }

  text(max = this.max): string {
    const all = this.lines.map((l) => `${l}\n`).join('');
    return all.slice(-max);
  }
}

/**
 * The error for a command that did not start, was killed, or exited non-zero, with the tail of
 * what it printed (stderr included, in the order it came). `aborted`: it was ended on purpose.
 */
export function commandFailure(command: string, err: unknown, printed: string, code?: string, aborted = false): W2meetError {
  if (aborted) return new AbortedError(`interrupted while ${command} ran`);
  // The caller's code names the situation (LAB_START, FAULT, IMAGE_BUILD); without one, COMMAND.
  const failure = (message: string) => (code === undefined ? new CommandError(message) : new W2meetError(code, message));
  const e = err as Partial<ExecaError>;
  const cause = e.cause as NodeJS.ErrnoException | undefined;
  const tail = printed.slice(-SHOWN_CHARS).trim();
  if (cause?.syscall?.startsWith('spawn')) {
    // It never ran: not found, not executable, or the uid/gid could not be taken.
    const why =
      cause.code === 'ENOENT'
        ? 'no such program (not on the PATH, or not at that path)'
        : cause.code === 'EACCES'
          ? 'not executable by this user'
          : cause.message;
    return failure(`${command} could not start: ${why} (${cause.code ?? 'spawn failed'})`);
  }
  const how = e.exitCode !== undefined ? `exit ${e.exitCode}` : e.signal ? `killed by ${e.signal}` : (e.shortMessage ?? String(err));
  return failure(`${command} failed (${how})${tail ? `:\n${tail}` : ''}`);
}

/** Signals a process group; one that is gone already is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * After an interrupt, waits until nothing of the command's group is left, so a caller that goes on
 * (removes a folder, reports the interrupt) never races the helpers that were still dying: SIGKILL
 * to the group once the grace period has passed, then a last short wait. The group id is free only
 * once its last member is gone, so it still names the command's group while this signals it.
 */
async function groupGone(pid: number, graceMs: number): Promise<void> {
  const until = async (deadline: number) => {
    while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  };
  await until(Date.now() + graceMs);
  if (!groupAlive(pid)) return;
  signalGroup(pid, 'SIGKILL');
  await until(Date.now() + 2000);
}

/** The process groups of the commands running now, ended if w2meet exits before they do. */
const running = new Set<number>();
let exitHookInstalled = false;

function endRunningOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A second Ctrl-C exits at once (see signals.ts): a command in its own group would not hear the
  // terminal's SIGINT and would run on, orphaned. Only synchronous work is possible here.
  process.on('exit', () => {
    for (const pid of running) signalGroup(pid, 'SIGTERM');
  });
}

/**
 * Runs a short-lived command (initdb, debootstrap, rabbitmqctl, apt-get, umount) without blocking
 * the event loop, so Ctrl-C is heard while it runs. It gets a process group of its own, so an
 * interrupt ends the helpers it started too (debootstrap runs dpkg and apt): SIGTERM to the whole
 * group, SIGKILL to the group FORCE_KILL_AFTER_MS later if anything in it is still there. stdin is
 * closed; stdout and stderr are read line by line (to `onLine`) and their tail is kept. Resolves
 * with that tail; rejects with AbortedError when the signal ended it, else with a W2meetError whose
 * message holds the exit code (or the signal) and the tail of what it printed.
 */
export function runChildCommand(command: string, args: string[], options: ChildCommandOptions = {}): Promise<string> {
  if (options.signal?.aborted) return Promise.reject(new AbortedError());
  const tail = new OutputTail();
  // A line transform that passes nothing on: each line goes to the tail and to onLine.
  // biome-ignore lint/correctness/useYield: the transform's whole point is to yield nothing
  const take = function* (line: unknown) {
    const text = String(line);
    tail.push(text);
    if (text) options.onLine?.(text);
  };
  const subprocess = execa(command, args, {
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    // As spawn's `env`: a given environment is the whole environment, none means this process's.
    env: options.env,
    extendEnv: options.env === undefined,
    stdin: 'ignore',
    stdout: take,
    stderr: take,
    // The lines go to the tail above; nothing else keeps them.
    buffer: false,
    // Its own process group (setsid), so the group can be signalled as one.
    detached: true,
    // Sends SIGTERM to the command itself, and SIGKILL after the delay while it lives on.
    cancelSignal: options.signal,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
  });
  const pid = subprocess.pid;
  let killTimer: NodeJS.Timeout | undefined;
  // execa signals the command alone: its helpers (and a helper that keeps the pipes open after
  // the command exited, which would keep execa waiting) are reached through the group.
  const onAbort = () => {
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), FORCE_KILL_AFTER_MS);
  };
  if (pid !== undefined) {
    endRunningOnExit();
    running.add(pid);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  }
  const settled = async () => {
    if (options.signal?.aborted && pid !== undefined) await groupGone(pid, FORCE_KILL_AFTER_MS);
  };
  return subprocess
    .then(
      async () => {
        await settled();
        // Interrupted as it ended: still an interruption, as the caller's next step expects.
        if (options.signal?.aborted) throw new AbortedError(`interrupted while ${command} ran`);
        return tail.text();
      },
      async (err: unknown) => {
        await settled();
        if (err instanceof AbortedError) throw err;
        throw commandFailure(command, err, tail.text(), options.code, !!options.signal?.aborted);
      },
    )
    .finally(() => {
      // Settled means the command exited and every pipe closed; the group is not signalled later,
      // when its id may name someone else's.
      options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (pid !== undefined) running.delete(pid);
    });
}
