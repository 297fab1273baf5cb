import { spawn, type SpawnOptions } from 'node:child_process';
import { AbortedError, W2meetError } from '../errors.js';

export interface ChildCommandOptions extends Pick<SpawnOptions, 'cwd' | 'uid' | 'gid' | 'env'> {
  /** Each line it prints, as it prints it. */
  onLine?: (line: string) => void;
  /** Ctrl-C: the command and everything it started are ended, and the promise rejects with AbortedError. */
  signal?: AbortSignal;
  /** The error code of a failure, for the message. */
  code?: string;
}

/**
 * Runs a preparation step (initdb, debootstrap) without blocking the event loop, so Ctrl-C is
 * heard while it runs. It gets a process group of its own, so an interrupt ends the helpers it
 * started too (debootstrap runs dpkg and apt). Resolves with what it printed.
 */
export function runChildCommand(command: string, args: string[], options: ChildCommandOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new AbortedError());
    const child = spawn(command, args, { cwd: options.cwd, uid: options.uid, gid: options.gid, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (d: Buffer) => {
      const text = d.toString();
      output = (output + text).slice(-8000);
      for (const l of text.split('\n').filter(Boolean)) options.onLine?.(l);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      const signalGroup = (s: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, s);
        } catch {
          /* already gone */
        }
      };
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), 5000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new W2meetError(options.code ?? 'COMMAND', `${command} could not start: ${err.message}`));
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (options.signal?.aborted) return reject(new AbortedError(`interrupted while ${command} ran`));
      if (code === 0) return resolve(output);
      reject(new W2meetError(options.code ?? 'COMMAND', `${command} failed (exit ${code}):\n${output.slice(-4000).trim()}`));
    });
  });
}
