import { onInterrupt } from '../signals.js';
import { AbortedError } from '../errors.js';
import { resolveTarget, type TargetOptions } from './resolve-target.js';
import { progressPrinter } from './progress-printer.js';
import { runSuite } from './run-suite.js';
import { selectScenarios } from './suite.js';
import type { EngineListener } from './engine-events.js';

export interface RunScenariosOptions extends TargetOptions {
  names: string[];
  reportsDir: string;
  listeners?: EngineListener[];
  /** Progress lines go here; null for none. @default process.stderr */
  progress?: NodeJS.WritableStream | null;
  /** Stops the run after its current step, as Ctrl-C does (the dashboard's quit key). */
  signal?: AbortSignal;
}

/**
 * What `scenario run` and `grade` share: every file validated first, the target resolved (a lab,
 * or a URL), then the suite, with Ctrl-C stopping it after the running step and undoing its faults.
 */
export async function runScenarios(options: RunScenariosOptions) {
  const scenarios = await selectScenarios(options.names);
  const { target, status } = await resolveTarget(options);
  const interrupt = onInterrupt('interrupted: stopping after this step and undoing its faults (Ctrl-C again to quit at once)');
  try {
    const listeners = [
      ...(options.progress === null ? [] : [progressPrinter(options.progress ?? process.stderr)]),
      ...(options.listeners ?? []),
    ];
    const signal = options.signal ? AbortSignal.any([interrupt.signal, options.signal]) : interrupt.signal;
    const out = await runSuite({ scenarios, target, status, reportsDir: options.reportsDir, listeners, signal });
    if (signal.aborted) throw new AbortedError(`interrupted; partial results in ${out.path}`);
    return out;
  } finally {
    interrupt.dispose();
  }
}
