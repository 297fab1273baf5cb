import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/shared/paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `w2meet` as a person would, with a time limit so a hang fails the test. `options`
 * is the time limit in ms, or that and variables added to the environment.
 */
export function runCli(args: string[], options: number | { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const { timeoutMs = 90_000, env = {} } = typeof options === 'number' ? { timeoutMs: options } : options;
  const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`w2meet ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface BackgroundCli {
  /** Resolves once stderr contains the text, or rejects after the time limit. */
  waitForStderr(text: string, timeoutMs?: number): Promise<void>;
  signal(name: NodeJS.Signals): void;
  exited: Promise<number | null>;
  stderr(): string;
}

/** Starts the built `w2meet` and leaves it running, for tests that interrupt or kill it mid-way. */
export function spawnCli(args: string[]): BackgroundCli {
  const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    async waitForStderr(text, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stderr.includes(text)) {
        if (Date.now() > deadline) throw new Error(`w2meet ${args.join(' ')} never printed "${text}":\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    signal: (name) => child.kill(name),
    exited,
    stderr: () => stderr,
  };
}
