import { runtimeForLab } from '../lab/open-lab.js';
import type { LabStatus } from '../lab/runtime.js';
import { onInterrupt } from '../signals.js';
import { AbortedError } from '../errors.js';
import { labTarget, urlTarget, type EngineTarget } from './engine-target.js';
import { progressPrinter } from './progress-printer.js';
import { runSuite } from './run-suite.js';
import { selectScenarios } from './suite.js';
import type { EngineListener } from './engine-events.js';

export interface RunScenariosOptions {
  names: string[];
  lab: string;
  target?: string;
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
  let target: EngineTarget;
  let status: () => Promise<LabStatus | null>;
  if (options.target) {
    target = urlTarget(options.target);
    status = async () => null;
  } else {
    const runtime = await runtimeForLab(options.lab);
    target = (await labTarget(options.lab, runtime)).target;
    status = () => runtime.status(options.lab);
  }
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
