import type { ComponentKind, ComponentName, LabSecrets, LabSpec } from './spec.js';

export const FAULT_VERBS = ['stop', 'start', 'kill', 'pause', 'unpause', 'restart', 'alarm', 'unalarm'] as const;
export type FaultVerb = (typeof FAULT_VERBS)[number];

export type InstanceState = 'running' | 'paused' | 'stopped' | 'exited';
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'unknown';

/** Moments of one instance's start-up, in ms since the `up` began. */
export interface Timeline {
  started?: number;
  healthy?: number;
}

export interface InstanceStatus {
  /** `availability-service-2`; equal to the component name when it has one replica. */
  id: string;
  name: ComponentName;
  kind: ComponentKind;
  replica: number;
  state: InstanceState;
  health: Health;
  /** host:port as reached from the host machine. */
  address: string;
  pid: number | null;
  startedAt: string | null;
  timeline: Timeline;
  /** The image it runs, where it runs as a container. */
  image?: string;
  /** Instance ids it waited for before it started: healthy ones, and ones that had only to start. */
  dependsOn: string[];
  startsAfter: string[];
}

export interface LabStatus {
  lab: string;
  runtime: RuntimeName;
  /** On a swarm: the nodes of the swarm, `hostname (role)`. */
  nodes?: string[];
  gatewayUrl: string;
  /** How to reach the gateway from here when its URL is another machine's (a swarm manager's 127.0.0.1). */
  gatewayVia?: string;
  createdAt: string;
  instances: InstanceStatus[];
}

/**
 * `compose`: a deployment someone else's compose file runs, which w2meet only reads and breaks
 * (compose-project/); `swarm`: the lab as services of a Docker swarm (swarm/).
 */
export type RuntimeName = 'process' | 'docker' | 'compose' | 'swarm';

export type ProgressEvent =
  | { type: 'starting'; id: string }
  | { type: 'healthy'; id: string; ms: number }
  | { type: 'info'; message: string };

export interface UpOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export interface LogLine {
  instance: string;
  line: string;
  /** Parsed JSON when the line is a structured log record. */
  record: Record<string, unknown> | null;
}

export interface LogOptions {
  /** A component name (all its replicas) or one instance id. */
  target?: string;
  caseId?: string;
  follow?: boolean;
  /** Only the last N lines of each instance before following. */
  tail?: number;
  /** Only lines written at or after this time (to the second, as the Docker Engine keeps it). */
  since?: Date;
  signal?: AbortSignal;
}

/**
 * What the CLI, the scenarios and the dashboard need of a runtime. Nothing of Docker or of child
 * processes leaks through it: a running lab is plain data.
 */
export interface Runtime {
  readonly name: RuntimeName;
  /** Starts the lab and resolves once every instance is healthy. */
  up(spec: LabSpec, options?: UpOptions): Promise<LabStatus>;
  /** Stops and removes what the lab started; `volumes` also drops its data. Idempotent. */
  down(lab: string, options?: { volumes?: boolean }): Promise<{ stopped: string[] }>;
  /** null when no lab of that name exists. */
  status(lab: string): Promise<LabStatus | null>;
  /**
   * The credentials the lab's data was made with, kept for as long as that data is (a lab's own
   * folder on processes, its volumes on Docker); null when it has no data. Never creates any: `up`
   * keeps the spec's credentials with the data it makes.
   */
  credentials(lab: string): Promise<LabSecrets | null>;
  logs(lab: string, options?: LogOptions): AsyncIterable<LogLine>;
  /** Applies a fault verb to a component (every replica) or one instance. */
  fault(lab: string, verb: FaultVerb, target: string): Promise<string[]>;
}
