import type { LabStatus } from '../lab/runtime.js';
import { realClock, type Clock } from './clock.js';
import { describeLab } from './describe-lab.js';
import type { EngineTarget } from './engine-target.js';
import { fanOut, type EngineListener } from './engine-events.js';
import { newRunId, writeResults } from './results-writer.js';
import { RESULTS_SCHEMA, type RunResults, type ScenarioResult } from './run-results.js';
import { runScenario } from './run-scenario.js';
import type { Scenario } from './scenario-types.js';

export interface SuiteRunOptions {
  scenarios: Array<{ scenario: Scenario; file: string }>;
  target: EngineTarget;
  /** The lab's status now; null for a --target URL. */
  status: () => Promise<LabStatus | null>;
  reportsDir: string;
  listeners?: EngineListener[];
  signal?: AbortSignal;
  clock?: Clock;
  runId?: string;
}

/** Runs scenarios one after another and writes the results file, also when the run was interrupted. */
export async function runSuite(options: SuiteRunOptions): Promise<{ results: RunResults; path: string }> {
  const emit = fanOut(options.listeners ?? []);
  const runId = options.runId ?? newRunId();
  const signal = options.signal ?? new AbortController().signal;
  const clock = options.clock ?? realClock;
  const startedAt = new Date().toISOString();
  const lab = describeLab(options.target, await options.status());
  emit({ type: 'run-start', runId, scenarios: options.scenarios.map((s) => s.scenario.name), gatewayUrl: options.target.gatewayUrl });
  const done: ScenarioResult[] = [];
  for (const { scenario, file } of options.scenarios) {
    if (signal.aborted) break;
    done.push(await runScenario({ scenario, file, runId, target: options.target, status: options.status, clock, emit, signal }));
  }
  const results: RunResults = {
    schema: RESULTS_SCHEMA,
    runId,
    startedAt,
    endedAt: new Date().toISOString(),
    passed: !signal.aborted && done.every((s) => s.status !== 'failed'),
    lab,
    scenarios: done,
  };
  const path = await writeResults(options.reportsDir, results);
  emit({ type: 'run-end', results, resultsPath: path });
  return { results, path };
}
