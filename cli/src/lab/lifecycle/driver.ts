import type { Health, InstanceState, LogLine, LogOptions, ProgressEvent, RuntimeName, Timeline } from '../runtime.js';
import type { ComponentKind, ComponentName, LabSecrets, LabSpec } from '../spec.js';
import type { HostPort } from '../wait/probe-spec.js';

/**
 * What the lifecycle (up, down, status, faults, logs: lab-runtime.ts) needs of a place a lab
 * runs: a core every runtime implements (twelve members), and capabilities a runtime may offer.
 * A driver knows how to make, start, signal and remove one instance there, and nothing of start
 * order, health, clean-up or faults, which are written once for every runtime.
 */
export type RuntimeDriver<I extends DriverInstance = DriverInstance> = DriverCore<I> & DriverCapabilities<I>;

export interface DriverCore<I extends DriverInstance = DriverInstance> {
  readonly name: RuntimeName;
  /** Whether the place the lab runs answers (an Engine); status and down see no lab when it does not. */
  available(): Promise<boolean>;
  /** Throws a clear error, saying what to do, when it does not answer. */
  requireAvailable(): Promise<void>;
  /** What the driver keeps about a lab, and reads back. */
  readonly store: LabStore<I>;
  /**
   * Makes everything the lab needs before its first instance starts (folders, images, network,
   * volumes, ports) and plans its instances. Throws AbortedError when the signal aborts.
   */
  create(spec: LabSpec, context: CreateContext): Promise<DriverLab<I>>;
  /** Starts an instance that is not running; resolves once it runs (not once it is healthy). */
  start(lab: DriverLab<I>, instance: I): Promise<Running>;
  state(lab: DriverLab<I>, instance: I): Promise<InstanceState>;
  /** Where the host reaches it, or null while it has no address. */
  address(lab: DriverLab<I>, instance: I): Promise<HostPort | null>;
  /** Acts on an instance that runs (or is paused): the lifecycle checks the state first. */
  signal(lab: DriverLab<I>, instance: I, signal: InstanceSignal): Promise<void>;
  /** Removes what `load` would find (containers, network, state file); `volumes` also the data. */
  remove(lab: string, options: { volumes: boolean }): Promise<void>;
  logs(lab: DriverLab<I>, instances: I[], options: LogOptions): AsyncIterable<LogLine>;
  /** What a person is shown of an instance. */
  readonly shown: InstanceReadout<I>;
}

export interface LabStore<I extends DriverInstance> {
  /** The lab as it is now, or null when nothing of it exists. */
  load(lab: string): Promise<DriverLab<I> | null>;
  /** Keeps what the driver records (pids, timelines): of these instances only, or of all of them. */
  save(lab: DriverLab<I>, instances?: I[]): Promise<void>;
  /** The credentials its data was made with, where the data keeps them; null when it has none. */
  credentials(lab: string): Promise<LabSecrets | null>;
}

export interface InstanceReadout<I extends DriverInstance> {
  /** What `status` shows of an instance beyond its state and health. */
  details(lab: DriverLab<I>, instance: I): Promise<InstanceDetails>;
  /** The last lines of its log, headed by where they come from, for an error message. */
  logTail(lab: DriverLab<I>, instance: I): Promise<string>;
}

/** What a runtime may offer beyond the core: the lifecycle asks before it uses one. */
export interface DriverCapabilities<I extends DriverInstance> {
  /** Control of the lab's RabbitMQ broker (the alarm faults). */
  readonly broker?: BrokerControl<I>;
  /** For instances spread over machines the host cannot all reach (a swarm). */
  readonly cluster?: ClusterHooks<I>;
}

export interface BrokerControl<I extends DriverInstance> {
  /** rabbitmqctl against the lab's broker. */
  command(lab: DriverLab<I>, instance: I, args: string[]): Promise<void>;
  /** The memory watermark the lab's broker runs with (what `unalarm` restores). */
  readonly watermark: number;
}

export interface ClusterHooks<I extends DriverInstance> {
  /**
   * For an instance the host cannot reach (a task on another machine of a cluster): whether its
   * engine calls it healthy, which a start-up wait then takes in place of a probe.
   */
  healthyElsewhere(lab: DriverLab<I>, instance: I): Promise<boolean>;
  /**
   * Whether an instance the host cannot reach did its component's after-healthy step itself as it
   * started (Postgres made the lab's database and schema), so the lifecycle has nothing to do.
   */
  tookStepItself(lab: DriverLab<I>, instance: I): boolean;
  /**
   * After a fault's start found it healthy: waits until the rest of the lab reaches it too (on a
   * cluster, every node), so what a scenario sends next does not meet a node that has not heard.
   */
  settle(lab: DriverLab<I>, instance: I): Promise<void>;
}

export interface DriverInstance {
  id: string;
  name: ComponentName;
  kind: ComponentKind;
  replica: number;
  /** Instance ids that must be healthy, or only started, before this one starts. */
  dependsOn: string[];
  startsAfter: string[];
  timeline: Timeline;
}

export interface DriverLab<I extends DriverInstance> {
  name: string;
  createdAt: string;
  gatewayUrl: string;
  /** The credentials it runs with; null when they cannot be read. */
  secrets: LabSecrets | null;
  instances: I[];
}

export interface CreateContext {
  signal: AbortSignal;
  progress: (event: ProgressEvent) => void;
}

/** A started instance: while the lifecycle waits for it, why it is gone, or null while it runs. */
export interface Running {
  exited(): string | null | Promise<string | null>;
  /**
   * Resolves once the engine has what it needs to start the instance (a swarm task's image, pulled
   * on its node from a registry, which a first start on a new node can take minutes over); the
   * start's own timeout counts from then. Rejects when that did not come in its own limit.
   */
  prepared?(signal: AbortSignal): Promise<void>;
}

export type InstanceSignal = 'stop' | 'kill' | 'pause' | 'unpause';

export interface InstanceDetails {
  pid: number | null;
  startedAt: string | null;
  /** host:port as the host reaches it (for a person to read). */
  address: string;
  /** The engine's own health, for when w2meet cannot probe it itself (no credentials, no address). */
  engineHealth?: Health;
  /** The image it runs, where it runs as a container. */
  image?: string;
}
