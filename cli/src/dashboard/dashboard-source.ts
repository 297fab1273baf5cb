import type { FaultVerb, LabStatus, LogLine } from '../lab/runtime.js';
import type { EngineListener } from '../scenarios/engine-events.js';

/** What `/worker/stats` says about the queue, and each replica's jobs settled (processed + failed) since it started. */
export interface WorkerCounters {
  queue_depth: number | null;
  consumers: number | null;
  settledByReplica: Record<string, number>;
}

/**
 * Everything the dashboard reads from or does to a lab. The real one goes through the runtime and
 * the scenario engine; tests give a fake one, so the hook is tested without a lab.
 */
export interface DashboardSource {
  status(): Promise<LabStatus | null>;
  /** The lab's merged log from now on, until the signal aborts. */
  followLogs(signal: AbortSignal): AsyncIterable<LogLine>;
  /** Reads `/worker/stats` through the gateway until each of `replicas` answered once (or a few tries); null when none did. */
  workerCounters(gatewayUrl: string, replicas: number): Promise<WorkerCounters | null>;
  fault(verb: FaultVerb, target: string): Promise<void>;
  scenarioNames(): Promise<string[]>;
  runScenario(name: string, listener: EngineListener, signal: AbortSignal): Promise<void>;
}
