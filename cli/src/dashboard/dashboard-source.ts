import type { FaultVerb, LabStatus, LogLine } from '../lab/runtime.js';
import type { EngineListener } from '../scenarios/engine-events.js';

export interface WorkerCounters {
  queue_depth: number | null;
  consumers: number | null;
  processed: number;
  failed: number;
}

/**
 * Everything the dashboard reads from or does to a lab. The real one goes through the runtime and
 * the scenario engine; tests give a fake one, so the hook is tested without a lab.
 */
export interface DashboardSource {
  status(): Promise<LabStatus | null>;
  /** The lab's merged log from now on, until the signal aborts. */
  followLogs(signal: AbortSignal): AsyncIterable<LogLine>;
  workerCounters(gatewayUrl: string): Promise<WorkerCounters | null>;
  fault(verb: FaultVerb, target: string): Promise<void>;
  scenarioNames(): Promise<string[]>;
  runScenario(name: string, listener: EngineListener, signal: AbortSignal): Promise<void>;
}
