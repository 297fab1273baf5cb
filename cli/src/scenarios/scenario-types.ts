import type { FaultVerb } from '../lab/runtime.js';

/** What a scenario may need beyond an HTTP endpoint; `--target URL` offers none of them. */
export const CAPABILITIES = ['faults', 'queue', 'logs', 'database'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const KNOWLEDGE_GOALS = ['KG1', 'KG2', 'KG3', 'KG4', 'KG5', 'KG6', 'KG7', 'KG8', 'KG9', 'KG10', 'KG11'] as const;
export type KnowledgeGoal = (typeof KNOWLEDGE_GOALS)[number];

export interface Expectation {
  /** One status or any of a list. */
  status?: number | number[];
  /** Header name → exact value (names are case-insensitive). */
  headers?: Record<string, string>;
  /** Dotted JSON path → expected value; `"*"` only asks that the field be there. */
  json?: Record<string, unknown>;
}

export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path on the gateway, with `{{var}}` placeholders. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  expect?: Expectation;
}

export interface RequestStep {
  name: string;
  request: RequestSpec & {
    /** Send it this many times, one after another. @default 1 */
    count?: number;
    /** Send it once per item of a list variable, the item bound to `{{item}}`. */
    for_each?: string;
  };
}

export interface LoadSpec {
  request: RequestSpec;
  /** Closed loop: this many connections, each sending its next request when the last answered. */
  connections?: number;
  /** Open loop: requests started per second on a fixed schedule, whatever the answers do. */
  rate?: number;
  /** Open loop: sends in flight beyond which a scheduled send is dropped. @default 256 */
  max_in_flight?: number;
  count?: number;
  duration_ms?: number;
  /** Count the answering replicas of this service (`X-Instance`) against those the lab runs. */
  instances_of?: string;
  /**
   * Sends go through a list as `{{item}}`, each item `repeat` times, its reads `apart` sends from
   * each other (from the start again at the end): with 2 and 64, each user is read once and again
   * 64 sends later, a miss and then a hit, so hits and misses interleave under load without two
   * connections reading the same new user at once.
   */
  cycle?: { over: string; repeat?: number; apart?: number };
}

export interface LoadStep {
  name: string;
  load: LoadSpec;
}

export interface FaultSpec {
  verb: FaultVerb;
  /** A service or one replica: `redis`, `availability-service#2`. */
  target: string;
  /** Undo the fault after this long; without it the fault lasts until undone or the scenario ends. */
  duration_ms?: number;
}

export interface FaultStep {
  name: string;
  fault: FaultSpec;
}

export interface WaitStep {
  name: string;
  wait: {
    /** `healthy`: every instance (or `target`) healthy; `request`: `request` meets its expectation; `queue_empty`: the worker's queue is drained. */
    for: 'healthy' | 'request' | 'queue_empty';
    target?: string;
    request?: RequestSpec;
    timeout_ms: number;
  };
}

export interface BurstSpec {
  jobs: number;
  /** Jobs sent per second (open loop). */
  rate: number;
  /** A list variable of users; job i pairs user i with user i+1. */
  users: string;
  /** Faults applied while the burst runs, each undone before the step ends. */
  during?: Array<FaultSpec & { after_ms: number }>;
  /** Queue depth from which an enqueue counts as made against a deep queue. @default 500 */
  deep_depth?: number;
  /** How long the queue may take to drain after the last send. @default 120000 */
  drain_timeout_ms?: number;
  /**
   * The first sends warm the connections up and are left out of the enqueue-latency populations
   * (they are still sent, counted and checked for loss). @default 0
   */
  warmup_jobs?: number;
}

export interface BurstStep {
  name: string;
  burst: BurstSpec;
}

export interface TraceStep {
  name: string;
  trace: {
    request: RequestSpec;
    /** Components that must log the request's Case-ID, in the order the request reaches them. */
    hops: string[];
    /** @default 10000 */
    timeout_ms?: number;
  };
}

export interface CreateUsersStep {
  name: string;
  create_users: {
    /** The list variable the users are stored in: `{{as.0.email}}`, or `for_each: as`. */
    as: string;
    count: number;
  };
}

/** A statement on the lab's Postgres, undone at the end of the scenario. */
export interface SqlStep {
  name: string;
  /** `run` (with an optional `undo`), or `undo_of` an earlier sql step to undo it now. */
  sql: { run?: string; undo?: string; undo_of?: string };
}

/** Every step may name the earlier steps its input comes from: `uses: [update-user]`. */
export type Step = (RequestStep | LoadStep | FaultStep | WaitStep | BurstStep | TraceStep | CreateUsersStep | SqlStep) & {
  uses?: string[];
};
export const STEP_KINDS = ['request', 'load', 'fault', 'wait', 'burst', 'trace', 'create_users', 'sql'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const CHECK_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type CheckOp = (typeof CHECK_OPS)[number];

export interface CheckSpec {
  /** `<step>.<metric>`, e.g. `hits.latency.p50` or `hits.cache.HIT.ratio`. */
  metric: string;
  op: CheckOp;
  /** A number, or another metric to compare with (times `factor`). */
  value?: number;
  than?: string;
  /** @default 1 */
  factor?: number;
  /** Why the check matters, shown beside its result. */
  because?: string;
  /**
   * A rate or latency of the machine under load, not the lab's correctness: a grade judges it, the
   * test suite records it (a 2-core machine's speed varies from run to run).
   */
  load?: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  kgs: KnowledgeGoal[];
  requires?: Capability[];
  /** Replicas needed at least, per service. */
  replicas?: Record<string, number>;
  claims?: string[];
  setup?: Step[];
  steps: Step[];
  checks?: CheckSpec[];
}

export function stepKind(step: Step): StepKind {
  const kind = STEP_KINDS.find((k) => k in step);
  // The schema lets no step through without one: a bug if hit.
  if (!kind) throw new Error(`step ${step.name} has no kind`);
  return kind;
}
