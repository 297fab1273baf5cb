import type { LabStatus } from '../lab/runtime.js';
import type { Clock } from './clock.js';
import type { EngineTarget } from './engine-target.js';
import type { Metrics } from './exchange-recorder.js';
import type { FaultLedger } from './fault-ledger.js';
import type { HttpTarget } from './http-exchange.js';
import type { LogRecord } from './run-results.js';
import type { Vars } from './template.js';

/** What a step runs with; one per scenario run. */
export interface StepContext {
  scenario: string;
  runId: string;
  clock: Clock;
  http: HttpTarget;
  target: EngineTarget;
  vars: Vars;
  /** Set when the target is a lab. */
  faults?: FaultLedger;
  status(): Promise<LabStatus | null>;
  sample(step: string, latencyMs: number, status: number, cache?: string): void;
  signal: AbortSignal;
}

/** What a step measured; the runner adds the name, kind, status and times. */
export interface StepOutcome {
  metrics: Metrics;
  histograms?: Record<string, string>;
  series?: Record<string, Array<[number, number]>>;
  failures?: string[];
  logs?: LogRecord[];
}

/** A Case-ID that ties a request to its run and step, so its logs can be found afterwards. */
export function caseIdFor(runId: string, step: string, index?: number): string {
  return index === undefined ? `${runId}-${step}` : `${runId}-${step}-${index}`;
}
