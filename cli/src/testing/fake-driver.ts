import { AbortedError } from '../errors.js';
import type { InstanceState, LogLine, RuntimeName } from '../lab/runtime.js';
import { specInstances, type LabSecrets, type LabSpec } from '../lab/spec.js';
import type { ProbeSpec } from '../lab/wait/probe-spec.js';
import type { Probe } from '../lab/wait/probes.js';
import type {
  BrokerControl,
  CreateContext,
  DriverInstance,
  DriverLab,
  InstanceReadout,
  InstanceSignal,
  LabStore,
  Running,
  RuntimeDriver,
} from '../lab/lifecycle/driver.js';

/**
 * A runtime driver for unit tests of the lifecycle: instances are entries in a map, and what each
 * does when started (answers after a delay, never answers, exits, fails to start) is set per test.
 * It records every act in `events`, in order.
 */
export class FakeDriver implements RuntimeDriver {
  readonly name: RuntimeName = 'process';
  readonly store: LabStore<DriverInstance> = {
    load: () => this.load(),
    save: (lab, instances) => this.save(lab, instances),
    credentials: () => this.credentials(),
  };
  readonly shown: InstanceReadout<DriverInstance> = {
    details: (lab, i) => this.details(lab, i),
    logTail: (lab, i) => this.logTail(lab, i),
  };
  readonly broker: BrokerControl<DriverInstance> = {
    command: (lab, i, args) => this.brokerCommand(lab, i, args),
    watermark: 0.3,
  };
  readonly events: string[] = [];
  readonly states = new Map<string, InstanceState>();
  private readonly startedAt = new Map<string, number>();
  private stored: DriverLab<DriverInstance> | null = null;
  /** Per instance id: how long after it starts it answers its probe; absent means at once. */
  healthyAfterMs: Record<string, number> = {};
  neverHealthy = new Set<string>();
  /** Per instance id: another whose probe must pass before its own does (a service's /health asks about the one it calls). */
  answersAfter: Record<string, string> = {};
  exitsAtStart = new Set<string>();
  failsToStart = new Set<string>();
  /** Resolves when `create` may finish; the test can hold it to interrupt during creation. */
  creating: Promise<void> = Promise.resolve();
  brokerCalls: string[][] = [];

  async available(): Promise<boolean> {
    return true;
  }

  async requireAvailable(): Promise<void> {}

  private async load(): Promise<DriverLab<DriverInstance> | null> {
    return this.stored;
  }

  private async save(_lab: DriverLab<DriverInstance>, _instances?: DriverInstance[]): Promise<void> {}

  async create(spec: LabSpec, context: CreateContext): Promise<DriverLab<DriverInstance>> {
    this.events.push('create');
    await Promise.race([this.creating, new Promise((r) => context.signal.addEventListener('abort', r, { once: true }))]);
    if (context.signal.aborted) throw new AbortedError('interrupted while preparing the lab; nothing was started');
    const instances = specInstances(spec).map((i) => ({ ...i, timeline: {} }));
    for (const i of instances) this.states.set(i.id, 'stopped');
    this.stored = { name: spec.name, createdAt: 'now', gatewayUrl: 'http://fake', secrets: spec.secrets, instances };
    return this.stored;
  }

  /** How long the engine takes to prepare an instance (its image pulled) before it runs, by id. */
  preparingMs: Record<string, number> = {};

  async start(_lab: DriverLab<DriverInstance>, i: DriverInstance): Promise<Running> {
    this.events.push(`start ${i.id}`);
    if (this.failsToStart.has(i.id)) throw new Error(`${i.id} could not be started`);
    const run = () => {
      this.states.set(i.id, this.exitsAtStart.has(i.id) ? 'exited' : 'running');
      this.startedAt.set(i.id, Date.now());
    };
    const exited = () => (this.states.get(i.id) === 'exited' ? 'the process exited' : null);
    const preparing = this.preparingMs[i.id];
    if (preparing === undefined) {
      run();
      return { exited };
    }
    // As a swarm task whose image is being pulled: it runs once that is done.
    const prepared = new Promise<void>((resolve) => setTimeout(resolve, preparing)).then(run);
    return { exited, prepared: () => prepared };
  }

  async state(_lab: DriverLab<DriverInstance>, i: DriverInstance): Promise<InstanceState> {
    return this.states.get(i.id) ?? 'stopped';
  }

  /** The host of an instance's address is its id, so a probe knows which instance it checks. */
  async address(_lab: DriverLab<DriverInstance>, i: DriverInstance) {
    return { host: i.id, port: 1 };
  }

  async signal(_lab: DriverLab<DriverInstance>, i: DriverInstance, signal: InstanceSignal): Promise<void> {
    this.events.push(`${signal} ${i.id}`);
    const next: Record<InstanceSignal, InstanceState> = { stop: 'stopped', kill: 'exited', pause: 'paused', unpause: 'running' };
    this.states.set(i.id, next[signal]);
  }

  async remove(lab: string, options: { volumes: boolean }): Promise<void> {
    this.events.push(`remove ${lab}${options.volumes ? ' with volumes' : ''}`);
    this.stored = null;
  }

  private async details(_lab: DriverLab<DriverInstance>, i: DriverInstance) {
    return { pid: 1, startedAt: null, address: i.id };
  }

  private async logTail(_lab: DriverLab<DriverInstance>, i: DriverInstance): Promise<string> {
    return `--- last lines of ${i.id} ---\nfake log`;
  }

  async *logs(): AsyncGenerator<LogLine> {}

  private async credentials(): Promise<LabSecrets | null> {
    return this.stored?.secrets ?? null;
  }

  private async brokerCommand(_lab: DriverLab<DriverInstance>, i: DriverInstance, args: string[]): Promise<void> {
    this.brokerCalls.push([i.id, ...args]);
  }

  /** The probe factory to give the lifecycle: an instance answers once it runs and its delay has passed. */
  probeFor =
    (spec: ProbeSpec): Probe =>
    async () => {
      this.check(hostOf(spec));
    };

  private check(id: string): void {
    const since = this.startedAt.get(id);
    if (this.states.get(id) !== 'running' || since === undefined) throw new Error(`${id} does not run`);
    if (this.neverHealthy.has(id) || Date.now() - since < (this.healthyAfterMs[id] ?? 0)) throw new Error(`${id} does not answer yet`);
    const upstream = this.answersAfter[id];
    if (upstream) this.check(upstream);
  }

  probeHealthy = async (spec: ProbeSpec): Promise<boolean> => {
    try {
      await this.probeFor(spec)(new AbortController().signal);
      return true;
    } catch {
      return false;
    }
  };
}

function hostOf(spec: ProbeSpec): string {
  switch (spec.kind) {
    case 'http':
    case 'amqp':
      return new URL(spec.url).hostname;
    case 'postgres':
      return new URL(spec.dsn).hostname;
    default:
      return spec.host;
  }
}
