import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How one phase of a test run ended: its exit code, its time, and the summary lines it printed. */
export interface PhaseResult {
  name: string;
  code: number;
  seconds: number;
  /** The closing lines of summary-reporter.ts (`int: 152 passed, 0 failed, 0 skipped` and what follows). */
  summary: string[];
}

export interface PhaseOptions {
  env?: NodeJS.ProcessEnv;
  /** Put the phase's name before each line it prints: several phases print at once. */
  prefix?: boolean;
}

const SUMMARY = /^[\w, -]+: \d+ passed, \d+ failed, \d+ skipped$/;
const SUMMARY_DETAIL = /^ {2}(skipped|failed)/;

/** Children still running, ended with the run when it is interrupted; after that none starts. */
const running = new Set<ReturnType<typeof spawn>>();
let stopping = false;

/** The first call passes the signal on; a second one ends the phases at once (SIGKILL). */
export function stopRunningPhases(signal: NodeJS.Signals): void {
  const again = stopping;
  stopping = true;
  for (const child of running) child.kill(again ? 'SIGKILL' : signal);
}

export function isStopping(): boolean {
  return stopping;
}

/**
 * Runs one command as a phase of the run, its output passed on line by line (so that phases
 * running together do not cut each other's lines), and resolves when it ends, never rejecting.
 */
export function runPhase(name: string, command: string, args: string[], options: PhaseOptions = {}): Promise<PhaseResult> {
  if (stopping) return Promise.resolve(notRun(name, 'the run was interrupted'));
  const started = performance.now();
  const summary: string[] = [];
  const tag = options.prefix ? `${name} | ` : '';
  process.stdout.write(`\n== ${name}: ${[command, ...args].join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let inSummary = false;
    const pass = (stream: NodeJS.WritableStream) => (line: string) => {
      stream.write(`${tag}${line}\n`);
      if (SUMMARY.test(line)) {
        summary.push(line);
        inSummary = true;
      } else if (inSummary && SUMMARY_DETAIL.test(line)) summary.push(line);
      else inSummary = false;
    };
    createInterface({ input: child.stdout }).on('line', pass(process.stdout));
    createInterface({ input: child.stderr }).on('line', pass(process.stderr));
    const end = (code: number) => {
      running.delete(child);
      resolve({ name, code, seconds: (performance.now() - started) / 1000, summary });
    };
    child.on('error', (err) => {
      process.stderr.write(`${tag}could not start ${command}: ${err.message}\n`);
      end(127);
    });
    child.on('close', (code, signal) => end(code ?? (signal ? 128 : 1)));
  });
}

/** A phase that did not run (what it needed failed first), reported as failed. */
export function notRun(name: string, why: string): PhaseResult {
  return { name, code: 1, seconds: 0, summary: [`${name}: did not run: ${why}`] };
}
