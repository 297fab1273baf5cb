import type { FaultVerb, RuntimeName } from '../lab/runtime.js';
import type { CheckOp, StepKind } from './scenario-types.js';
import type { Metrics } from './exchange-recorder.js';

/** The version of the results file's shape; reports refuse files of a version they do not know. */
export const RESULTS_SCHEMA = 'w2meet-results/1';

export type StepStatus = 'passed' | 'failed' | 'skipped';
export type ScenarioStatus = 'passed' | 'failed' | 'skipped';

export interface LogRecord {
  instance: string;
  record: Record<string, unknown>;
}

export interface StepResult {
  name: string;
  kind: StepKind;
  phase: 'setup' | 'steps';
  status: StepStatus;
  /** Why it was skipped: what the target lacks, or the earlier step its input came from. */
  reason?: string;
  /** Milliseconds since the scenario started. */
  startedMs: number;
  durationMs: number;
  metrics: Metrics;
  /** Raw HDR histograms (compressed base64, microseconds) by metric group: `latency`, `cache.HIT.server`. */
  histograms: Record<string, string>;
  /** Values over time, `[ms since the step started, value]`: queue depth, completions. */
  series: Record<string, Array<[number, number]>>;
  /** Why the step failed, or its first failed expectations. */
  failures: string[];
  /** Log records collected for a traced request, per hop. */
  logs?: LogRecord[];
}

export interface CheckResult {
  metric: string;
  op: CheckOp;
  /** What the metric was compared with: the value, or the other metric times its factor. */
  expected: number | null;
  actual: number | null;
  than?: string;
  passed: boolean;
  /** Not evaluated: a step it reads was skipped (or did not run). Neither passed nor failed. */
  skipped?: boolean;
  because?: string;
  /** A rate or latency of the machine under load (the check's `load`), not the lab's correctness. */
  load?: true;
  /** Why it failed when that is not just the comparison: a metric with no value. */
  reason?: string;
}

export interface FaultRecord {
  verb: FaultVerb;
  target: string;
  /** Milliseconds since the scenario started. */
  atMs: number;
  /** Set for the engine's own undoing at the end of a step or scenario. */
  undo: boolean;
  ok: boolean;
  error?: string;
}

export interface ScenarioResult {
  name: string;
  description: string;
  kgs: string[];
  claims: string[];
  file: string;
  status: ScenarioStatus;
  /** Why it was skipped or what stopped it. */
  reason?: string;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  checks: CheckResult[];
  faults: FaultRecord[];
}

/** How something about each answer was seen: its header, the deployment's logs, or not at all. */
export type ObservedVia = 'header' | 'log' | 'none';

export interface LabDescription {
  /** `lab` for a w2meet lab, `url` for --target. */
  kind: 'lab' | 'url';
  gatewayUrl: string;
  lab?: string;
  runtime?: RuntimeName;
  /** On a swarm: its nodes (hostname and role), which the report names. */
  nodes?: string[];
  /** Replicas per component, from the lab's status. */
  replicas?: Record<string, number>;
  /** Each instance as the lab's status showed it when the run began: what KG2 and KG3 are read from. */
  instances?: Array<{
    id: string;
    state: string;
    health: string;
    /** The image a container runs (Docker only). */
    image?: string;
    address: string;
    /** Ms since `up` began: when it started and when it was healthy. */
    started?: number;
    healthy?: number;
    dependsOn: string[];
    startsAfter: string[];
  }>;
  /** The compose project faults and logs went through, for a deployment w2meet did not start. */
  project?: string;
  /** The target profile it was measured with: how its cache outcome, server time and replica were seen. */
  profile?: {
    name: string;
    source: string;
    cache: ObservedVia;
    serverTime: ObservedVia;
    instance: ObservedVia;
    /** Where log lines were read, or null for nowhere. */
    logs: string | null;
    /** Contract routes the deployment does not have, as its profile says. */
    absentRoutes: string[];
  };
  w2meetVersion: string;
  host: { platform: string; release: string; cpus: number; cpuModel: string; memoryGiB: number; node: string };
}

export interface RunResults {
  schema: typeof RESULTS_SCHEMA;
  runId: string;
  startedAt: string;
  endedAt: string;
  passed: boolean;
  lab: LabDescription;
  scenarios: ScenarioResult[];
}
