import { LAB_ENTRIES, removeLabEntries } from '../lab-folder.js';
import { componentFor } from '../components/catalogue.js';
import { CONTAINER_NODE_NAME } from '../components/rabbitmq.js';
import type * as Driver from '../lifecycle/driver.js';
import { EngineLabRecords, rabbitmqctlIn } from './engine-lab-records.js';
import { PriorityGate } from './priority-gate.js';
import type { InstanceState, LogLine, LogOptions } from '../runtime.js';
import type { LabSpec } from '../spec.js';
import type { HostPort } from '../wait/probe-spec.js';
import { healthOf, stateOf } from './container-state.js';
import { networkName, type DockerInstance } from './container-plan.js';
import { createDockerLab, startPriority, type ImageSource } from './create-docker-lab.js';
import { containerLogTail, dockerLabLogs } from './docker-logs.js';
import { capGatewayAccessLog, requestLogFiles } from './request-logs.js';
import type { EngineClient } from './engine-client.js';
import { readRecord, removeRecord } from './lab-record.js';
import type { ImageMode } from './lab-images.js';
import { waitsAmong } from '../lifecycle/waits-among.js';
import { volumeCredentials } from './volume-credentials.js';
import { requireSafeRemote } from '../swarm/engine-here.js';

const STOP_SECONDS = 10;
/** RabbitMQ's default memory watermark, which the lab's containers run with. */
const DOCKER_WATERMARK = 0.4;
/** How often a start-up wait asks the Engine whether the container still runs: probes are cheap, inspecting ten containers every 50 ms is not. */
const INSPECT_EVERY_MS = 500;
/**
 * How many containers are started at once: the Engine does little of that work in parallel, and
 * two at a time measured slower than one (16.2 s against 14.8 s to a healthy lab).
 */
const START_SLOTS = 1;

type DockerLab = Driver.DriverLab<DockerInstance>;

export interface DockerDriverOptions {
  engine: EngineClient;
  images: ImageSource;
  mode: ImageMode;
  exposeInfra: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * The lab on a Docker Engine: a labelled network, named volumes, one container per replica.
 * Everything carries the lab's labels; `remove` removes exactly that.
 */
export class DockerDriver implements Driver.RuntimeDriver<DockerInstance> {
  readonly name = 'docker' as const;
  private readonly engine: EngineClient;
  private readonly starts = new PriorityGate(START_SLOTS);
  /** Containers still being created, per lab: clean-up waits for them, or they would escape it. */
  private readonly creations = new Map<string, Map<string, Promise<string>>>();
  private readonly records: EngineLabRecords;
  readonly store: Driver.LabStore<DockerInstance> = {
    load: (lab) => this.load(lab),
    save: (lab) => this.records.save(lab),
    credentials: (lab) => this.records.credentials(lab),
  };
  readonly shown: Driver.InstanceReadout<DockerInstance> = {
    details: (lab, i) => this.details(lab, i),
    logTail: (lab, i) => this.logTail(lab, i),
  };
  readonly broker: Driver.BrokerControl<DockerInstance> = {
    command: (_lab, i, args) => rabbitmqctlIn(this.engine, i.containerId!, args, CONTAINER_NODE_NAME),
    watermark: DOCKER_WATERMARK,
  };

  constructor(private readonly options: DockerDriverOptions) {
    this.engine = options.engine;
    this.records = new EngineLabRecords(options.engine, options.mode, options.env);
  }

  available(): Promise<boolean> {
    return this.engine.ping();
  }

  /** A remote Engine only over TLS: the lab's passwords go to it (its containers' environment, its volumes' labels). */
  async requireAvailable(): Promise<void> {
    requireSafeRemote(this.options.env);
    await this.engine.requireReachable();
  }

  private async load(lab: string): Promise<DockerLab | null> {
    const found = (await this.engine.labContainers(lab)).filter((c) => isComponent(c.name)).sort((a, b) => a.id.localeCompare(b.id));
    if (!found.length) return null;
    const record = await readRecord(lab, this.options.env).catch(() => null);
    // nginx appends to its access log without a cap: it is cut here, as the process runtime does.
    if (record?.requestLogs) await capGatewayAccessLog(record.requestLogs);
    // Read-only: credentials are read where the data keeps them, never made here.
    const secrets = await volumeCredentials(this.engine, lab, this.options.env).catch(() => null);
    const instances = waitsAmong(
      found.map((c) => ({
        id: c.id,
        name: c.name as DockerInstance['name'],
        kind: componentFor(c.name).kind,
        replica: c.replica,
        containerId: c.containerId,
        containerName: '',
        options: {},
        timeline: record?.timeline[c.id] ?? {},
      })),
    );
    const gateway = instances.find((i) => i.kind === 'gateway');
    const published = gateway ? await this.published(gateway) : null;
    return {
      name: lab,
      createdAt: record?.createdAt ?? '',
      secrets,
      instances,
      gatewayUrl: published ? `http://${published.host}:${published.port}` : '',
    };
  }

  async create(spec: LabSpec, context: Driver.CreateContext): Promise<DockerLab> {
    const made = await createDockerLab({ ...this.options, spec }, context);
    this.creations.set(spec.name, made.creations);
    return {
      name: spec.name,
      createdAt: made.createdAt,
      secrets: spec.secrets,
      instances: made.plan,
      gatewayUrl: `http://127.0.0.1:${made.spec.gatewayPort}`,
    };
  }

  async start(lab: DockerLab, i: DockerInstance): Promise<Driver.Running> {
    const creation = this.creations.get(lab.name)?.get(i.id);
    // The container this lab has now; a creation of an earlier lab of the same name is not it.
    const id = i.containerId ?? (await creation!);
    await this.starts.run(startPriority(i), () => this.engine.start(id));
    let askedAt = 0;
    let gone: string | null = null;
    return {
      exited: async () => {
        if (Date.now() - askedAt < INSPECT_EVERY_MS) return gone;
        askedAt = Date.now();
        const s = (await this.engine.inspect(id)).State;
        gone = s.Running ? null : `the container exited (code ${s.ExitCode})`;
        return gone;
      },
    };
  }

  async state(_lab: DockerLab, i: DockerInstance): Promise<InstanceState> {
    return stateOf((await this.engine.inspect(i.containerId!)).State);
  }

  /** Where the host reaches a container: its address on the lab network (a Linux host routes to the bridge), the gateway through its published port. */
  async address(lab: DockerLab, i: DockerInstance): Promise<HostPort | null> {
    if (i.kind === 'gateway') return this.published(i);
    const info = await this.engine.inspect(i.containerId!);
    const ip = info.NetworkSettings.Networks[networkName(lab.name)]?.IPAddress;
    return ip ? { host: ip, port: componentFor(i.name).innerPort } : null;
  }

  private async published(i: DockerInstance): Promise<HostPort | null> {
    const info = await this.engine.inspect(i.containerId!);
    const p = info.NetworkSettings.Ports?.[`${componentFor(i.name).innerPort}/tcp`]?.[0];
    return p ? { host: p.HostIp, port: Number(p.HostPort) } : null;
  }

  async signal(_lab: DockerLab, i: DockerInstance, signal: Driver.InstanceSignal): Promise<void> {
    const id = i.containerId!;
    switch (signal) {
      case 'stop':
        if (stateOf((await this.engine.inspect(id)).State) === 'paused') await this.engine.unpause(id);
        return this.engine.stop(id, STOP_SECONDS);
      case 'kill':
        return this.engine.kill(id);
      case 'pause':
        return this.engine.pause(id);
      case 'unpause':
        return this.engine.unpause(id);
    }
  }

  async remove(lab: string, options: { volumes: boolean }): Promise<void> {
    // A container still being created would escape the clean-up that lists them.
    await Promise.allSettled(this.creations.get(lab)?.values() ?? []);
    this.creations.delete(lab);
    for (const c of await this.engine.labContainers(lab)) await this.engine.remove(c.containerId).catch(() => {});
    await this.engine.removeNetworks(lab);
    if (options.volumes) await this.engine.removeVolumes(lab);
    await removeRecord(lab, this.options.env);
    if (options.volumes) await removeLabEntries(lab, LAB_ENTRIES.docker, this.options.env);
  }

  private async details(lab: DockerLab, i: DockerInstance): Promise<Driver.InstanceDetails> {
    const info = await this.engine.inspect(i.containerId!);
    const inner = componentFor(i.name).innerPort;
    const ip = info.NetworkSettings.Networks[networkName(lab.name)]?.IPAddress;
    const published = info.NetworkSettings.Ports?.[`${inner}/tcp`]?.[0];
    return {
      pid: info.State.Pid || null,
      startedAt: info.State.StartedAt ?? null,
      engineHealth: healthOf(info.State),
      image: info.Config?.Image,
      address: published ? `${published.HostIp}:${published.HostPort}` : ip ? `${ip}:${inner}` : '-',
    };
  }

  private async logTail(_lab: DockerLab, i: DockerInstance): Promise<string> {
    return `--- last lines of its log ---\n${await containerLogTail(this.engine, i.containerId!, 15)}`;
  }

  async *logs(lab: DockerLab, instances: DockerInstance[], options: LogOptions): AsyncGenerator<LogLine> {
    // Where the lab was made to log, whoever reads it now.
    const dir = (await readRecord(lab.name, this.options.env).catch(() => null))?.requestLogs ?? null;
    yield* dockerLabLogs(
      this.engine,
      instances.map((i) => ({ id: i.id, containerId: i.containerId!, files: requestLogFiles(dir, i.id) })),
      options,
    );
  }
}

function isComponent(name: string): boolean {
  try {
    componentFor(name);
    return true;
  } catch {
    return false;
  }
}
