import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { AbortedError, LabStartError, W2meetError } from '../../errors.js';
import { alarmArgs, checkAlarmTarget } from '../broker-alarm.js';
import { freePort, freePorts, isPortFree } from '../free-port.js';
import { matchesCaseId, mergeByTime, parseLogLine } from '../log-files.js';
import { labDir } from '../paths.js';
import { PriorityGate } from '../priority-gate.js';
import type { ProbeSpec } from '../process/state.js';
import { probeHealthy, probeOnce } from '../wait/probe-for.js';
import { FatalProbeError } from '../wait/probes.js';
import { applySchema } from '../apply-schema.js';
import { ensureLabDir, LAB_ENTRIES, removeLabEntries } from '../lab-folder.js';
import { credentialLabels, volumeCredentials } from './volume-credentials.js';
import type { FaultVerb, Health, InstanceState, InstanceStatus, LabStatus, LogLine, LogOptions, Runtime, Timeline, UpOptions } from '../runtime.js';
import type { ComponentKind, LabSecrets, LabSpec } from '../spec.js';
import { startInOrder } from '../start-order.js';
import { resolveTarget } from '../target.js';
import { containerLogLines } from './container-logs.js';
import { networkName, planContainers, type DockerInstance } from './container-plan.js';
import { dockerAddress, dockerClient, DockerUnavailableError, pingDocker } from './engine.js';
import { buildLabImages, imageFlavour, type ImageMode } from './lab-images.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_REPLICA, labFilter, labLabels } from './labels.js';

export interface DockerRuntimeOptions {
  docker?: Docker;
  env?: NodeJS.ProcessEnv;
  images?: ImageMode;
  registry?: string;
  exposeInfra?: boolean;
}

interface LabRecord {
  createdAt: string;
  images: ImageMode;
  timeline: Record<string, Timeline>;
}

interface Found {
  id: string;
  name: string;
  kind: ComponentKind;
  replica: number;
  containerId: string;
}

const KIND: Record<string, ComponentKind> = { postgres: 'infra', redis: 'infra', rabbitmq: 'infra', gateway: 'gateway' };
const STOP_SECONDS = 10;
/** RabbitMQ's default memory watermark, which the lab's containers run with. */
const DOCKER_WATERMARK = 0.4;

/**
 * Pauses a container, trying again when the kernel's freezer could not freeze it at once ("unable
 * to freeze": a process of it was busy in the kernel), which passes within a moment.
 */
async function pauseWithRetry(c: Docker.Container, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await c.pause();
      return;
    } catch (err) {
      if (attempt >= attempts || !/unable to freeze/i.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

/** Docker's container state as the runtime interface names it. */
function stateOf(s: { Status?: string; Paused?: boolean; Running?: boolean }): InstanceState {
  if (s.Paused) return 'paused';
  if (s.Running) return 'running';
  return s.Status === 'exited' || s.Status === 'dead' ? 'exited' : 'stopped';
}

function healthOf(s: { Running?: boolean; Health?: { Status?: string } }): Health {
  if (!s.Running) return 'unknown';
  const h = s.Health?.Status;
  return h === 'healthy' ? 'healthy' : h === 'starting' ? 'starting' : h === 'unhealthy' ? 'unhealthy' : 'unknown';
}

/** How often start-up asks the Engine whether a container it waits on still runs. */
const INSPECT_EVERY_MS = 500;
/**
 * How many containers are started at once: the Engine does little of that work in parallel, and
 * two at a time measured slower than one (16.2 s against 14.8 s to a healthy lab).
 */
const START_SLOTS = 1;

/**
 * Which ready container the Engine starts first: RabbitMQ, whose boot is the longest; then the
 * rest of the infrastructure; then the services something waits on; the rest last.
 */
function startPriority(instance: DockerInstance): number {
  if (instance.name === 'rabbitmq') return 0;
  if (instance.kind === 'infra') return 1;
  return instance.dependsOn.length > 0 ? 2 : 3;
}

/**
 * The lab on a Docker Engine: a labelled network, named volumes, one container per replica,
 * each started once what it waits for is ready (see start-order.ts; health is probed from the host
 * every 50 ms). Everything carries the lab's labels; `down` removes exactly that.
 */
export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const;
  readonly docker: Docker;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: DockerRuntimeOptions = {}) {
    this.env = options.env ?? process.env;
    this.docker = options.docker ?? dockerClient(this.env);
  }

  private recordPath(lab: string): string {
    return join(labDir(lab, this.env), 'docker.json');
  }

  private async readRecord(lab: string): Promise<LabRecord | null> {
    const path = this.recordPath(lab);
    return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as LabRecord) : null;
  }

  private async writeRecord(lab: string, record: LabRecord): Promise<void> {
    await ensureLabDir(lab, this.env);
    await writeFile(this.recordPath(lab), `${JSON.stringify(record, null, 2)}\n`);
  }

  async ensureReachable(): Promise<void> {
    if (!(await pingDocker(this.docker))) throw new DockerUnavailableError(dockerAddress(this.env));
  }

  private async containers(lab: string): Promise<Found[]> {
    const list = await this.docker.listContainers({ all: true, filters: labFilter(lab) });
    return list
      .map((c) => {
        const name = c.Labels[LABEL_COMPONENT] ?? 'unknown';
        const replica = Number(c.Labels[LABEL_REPLICA] ?? 1);
        return { id: c.Labels[LABEL_INSTANCE] ?? name, name, kind: KIND[name] ?? ('service' as ComponentKind), replica, containerId: c.Id };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async up(spec: LabSpec, options: UpOptions = {}): Promise<LabStatus> {
    await this.ensureReachable();
    const progress = options.onProgress ?? (() => {});
    const lab = spec.name;
    const existing = await this.status(lab);
    if (existing && existing.instances.length && existing.instances.every((i) => i.state === 'running' && i.health === 'healthy')) {
      progress({ type: 'info', message: `lab ${lab} is already up` });
      return existing;
    }
    if (existing) {
      progress({ type: 'info', message: `cleaning up what an earlier run of lab ${lab} left behind` });
      await this.removeContainers(lab);
    }
    if (spec.gatewayPort !== 0 && !(await isPortFree(spec.gatewayPort))) {
      throw new LabStartError(`port ${spec.gatewayPort} on 127.0.0.1 is already in use`, 'pass --port N to use another port, or run `w2meet down` if an earlier lab holds it');
    }
    // Ports are fixed when the lab is made, so a restarted container keeps its published address.
    if (spec.gatewayPort === 0) spec = { ...spec, gatewayPort: await freePort() };
    let infraPorts: Record<string, number> | undefined;
    if (this.options.exposeInfra) {
      const [postgres, redis, rabbitmq] = await freePorts(3);
      infraPorts = { postgres: postgres!, redis: redis!, rabbitmq: rabbitmq! };
    }
    const mode = this.options.images ?? 'local';
    const images = await buildLabImages(this.docker, mode, (line) => progress({ type: 'info', message: line }), { registry: this.options.registry, signal: options.signal });
    const flavours = Object.fromEntries(await Promise.all(
      (['postgres', 'redis', 'rabbitmq', 'gateway'] as const).map(async (role) => [role, await imageFlavour(this.docker, images[role])]),
    ));
    const plan = planContainers({ spec, images, flavours, infraPorts });
    const record: LabRecord = { createdAt: new Date().toISOString(), images: mode, timeline: {} };
    await this.ensureNetwork(lab);
    for (const volume of new Set(plan.map((p) => p.volume).filter((v): v is string => !!v))) {
      // An existing volume keeps its labels: the credentials it was made with, which the spec has.
      await this.docker.createVolume({ Name: volume, Labels: { ...labLabels(lab), ...credentialLabels(spec.secrets) } });
    }
    const failed = new AbortController();
    const onAbort = () => failed.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // An interrupt that came while the images were built or the network made is not missed.
    if (options.signal?.aborted) failed.abort();
    const t0 = Date.now();
    // As compose does, every container is created at once and each started when what it waits for
    // is ready: creating is a third of what bringing up a container costs here, and off the chain.
    // One after another in the order they are best started in, so the first can start at once.
    const starts = new PriorityGate(START_SLOTS);
    const creations = new Map<string, Promise<{ container: Docker.Container; at: number }>>();
    let previous: Promise<unknown> = Promise.resolve();
    for (const instance of [...plan].sort((a, b) => startPriority(a) - startPriority(b))) {
      const creation = previous.then(async () => {
        if (failed.signal.aborted) throw new AbortedError();
        return { container: await this.docker.createContainer(instance.options), at: Date.now() - t0 };
      });
      creation.catch(() => {});
      creations.set(instance.id, creation);
      previous = creation.catch(() => {});
    }
    try {
      await startInOrder(plan, async (instance, started) => {
        if (failed.signal.aborted) return;
        progress({ type: 'starting', id: instance.id });
        const timeline: Timeline & { created?: number; firstCheck?: number } = {};
        record.timeline[instance.id] = timeline;
        const { container, at } = await creations.get(instance.id)!;
        timeline.created = at;
        await starts.run(startPriority(instance), () => container.start());
        timeline.started = Date.now() - t0;
        started();
        await this.waitHealthy(lab, instance, container.id, spec.secrets, failed.signal, (first) => (timeline.firstCheck ??= first - t0));
        if (instance.name === 'postgres') await applySchema(spec.secrets, await this.containerAddress(lab, container.id, 5432));
        timeline.healthy = Date.now() - t0;
        progress({ type: 'healthy', id: instance.id, ms: timeline.healthy });
      }, failed);
      if (failed.signal.aborted) throw new AbortedError('interrupted while starting the lab');
    } catch (err) {
      failed.abort();
      // A container still being created would escape the clean-up that lists them.
      await Promise.allSettled(creations.values());
      await this.removeContainers(lab);
      await this.removeNetwork(lab);
      if (options.signal?.aborted) throw new AbortedError('interrupted while starting the lab; its containers and network were removed (its volumes stay until `w2meet down -v`)');
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    await this.writeRecord(lab, record);
    return (await this.status(lab))!;
  }

  private async ensureNetwork(lab: string): Promise<void> {
    const found = await this.docker.listNetworks({ filters: { name: [networkName(lab)], ...labFilter(lab) } });
    if (found.some((n) => n.Name === networkName(lab))) return;
    await this.docker.createNetwork({ Name: networkName(lab), Driver: 'bridge', Labels: labLabels(lab), CheckDuplicate: true });
  }

  /**
   * How w2meet checks one container from the host: the same probes as the process runtime, sent to
   * the container's address on the lab network (the gateway through its published port).
   */
  async credentials(lab: string): Promise<LabSecrets | null> {
    if (!(await pingDocker(this.docker))) return null;
    return volumeCredentials(this.docker, lab, this.env);
  }

  /** Where the host reaches a container on the lab network (a Linux host routes to the bridge). */
  private async containerAddress(lab: string, containerId: string, port: number): Promise<{ host: string; port: number }> {
    const info = await this.docker.getContainer(containerId).inspect();
    const ip = info.NetworkSettings.Networks[networkName(lab)]?.IPAddress;
    if (!ip) throw new LabStartError(`the container ${containerId.slice(0, 12)} has no address on ${networkName(lab)}`);
    return { host: ip, port };
  }

  private async probeSpec(lab: string, name: string, containerId: string, secrets: LabSecrets | null): Promise<ProbeSpec | null> {
    const info = await this.docker.getContainer(containerId).inspect();
    const ip = info.NetworkSettings.Networks[networkName(lab)]?.IPAddress;
    if (!ip) return null;
    if (!secrets && ['postgres', 'redis', 'rabbitmq'].includes(name)) return null;
    const s = secrets!;
    switch (name) {
      case 'postgres':
        return { kind: 'postgres', dsn: `postgres://${s.postgresUser}:${encodeURIComponent(s.postgresPassword)}@${ip}:5432/postgres` };
      case 'redis':
        return { kind: 'redis', host: ip, port: 6379, password: s.redisPassword };
      case 'rabbitmq':
        return { kind: 'amqp', url: `amqp://${s.rabbitUser}:${encodeURIComponent(s.rabbitPassword)}@${ip}:5672` };
      case 'gateway': {
        const published = info.NetworkSettings.Ports?.['8080/tcp']?.[0];
        return published ? { kind: 'http', url: `http://${published.HostIp}:${published.HostPort}/health` } : null;
      }
      default:
        return { kind: 'http', url: `http://${ip}:8000/health` };
    }
  }

  /** Probes a container every 50 ms until it answers; one that exits, or never does, fails with its log. */
  private async waitHealthy(lab: string, found: { id: string; name: string }, containerId: string, secrets: LabSecrets | null, signal: AbortSignal, onFirstCheck: (at: number) => void, timeoutMs = 90_000): Promise<void> {
    const id = found.id;
    const container = this.docker.getContainer(containerId);
    const deadline = Date.now() + timeoutMs;
    let spec: ProbeSpec | null = null;
    let info: Docker.ContainerInspectInfo | null = null;
    let inspectedAt = 0;
    for (;;) {
      if (signal.aborted) throw new AbortedError();
      // Probes are cheap; asking the Engine about ten containers every 50 ms is not, and it slows
      // the container starts the Engine is busy with. Whether it still runs is asked twice a second.
      if (!info || Date.now() - inspectedAt >= INSPECT_EVERY_MS) {
        info = await container.inspect();
        inspectedAt = Date.now();
      }
      spec ??= info.State.Running ? await this.probeSpec(lab, found.name, containerId, secrets) : null;
      if (spec) {
        onFirstCheck(Date.now());
        try {
          if (await probeOnce(spec, 1000)) return;
        } catch (err) {
          if (!(err instanceof FatalProbeError)) throw err;
          throw new LabStartError(`${id}: ${err.message}\n--- last lines of its log ---\n${await this.tail(containerId, 15)}`, err.hint);
        }
      }
      if (!info.State.Running || Date.now() > deadline) {
        const tail = await this.tail(containerId, 15);
        const why = !info.State.Running ? `the container exited (code ${info.State.ExitCode})` : `not healthy after ${timeoutMs / 1000} s`;
        throw new LabStartError(`${id}: ${why}\n--- last lines of its log ---\n${tail}`, `see the whole log with \`w2meet logs ${id}\``);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async tail(containerId: string, lines: number): Promise<string> {
    const out: string[] = [];
    try {
      for await (const line of containerLogLines(this.docker, containerId, { follow: false, tail: lines })) out.push(line);
    } catch {
      /* the container may be gone already */
    }
    return out.join('\n') || '(no log)';
  }

  private async removeContainers(lab: string): Promise<string[]> {
    const found = await this.containers(lab);
    // Gateway first, then services, then infrastructure, as the process runtime stops them.
    const order = (f: Found) => (f.kind === 'gateway' ? 0 : f.kind === 'service' ? 1 : 2);
    for (const tier of [0, 1, 2]) {
      await Promise.all(found.filter((f) => order(f) === tier).map(async (f) => {
        const c = this.docker.getContainer(f.containerId);
        await c.unpause().catch(() => {});
        await c.stop({ t: STOP_SECONDS }).catch(() => {});
        await c.remove({ force: true, v: false }).catch(() => {});
      }));
    }
    return found.map((f) => f.id);
  }

  private async removeNetwork(lab: string): Promise<void> {
    for (const n of await this.docker.listNetworks({ filters: labFilter(lab) })) {
      await this.docker.getNetwork(n.Id).remove().catch(() => {});
    }
  }

  async down(lab: string, options: { volumes?: boolean } = {}): Promise<{ stopped: string[] }> {
    if (!(await pingDocker(this.docker))) return { stopped: [] };
    const stopped = await this.removeContainers(lab);
    await this.removeNetwork(lab);
    if (options.volumes) {
      const { Volumes } = await this.docker.listVolumes({ filters: labFilter(lab) });
      for (const v of Volumes ?? []) await this.docker.getVolume(v.Name).remove({ force: true }).catch(() => {});
    }
    await rm(this.recordPath(lab), { force: true });
    if (options.volumes) await removeLabEntries(lab, LAB_ENTRIES.docker, this.env);
    return { stopped };
  }

  async status(lab: string): Promise<LabStatus | null> {
    if (!(await pingDocker(this.docker))) return null;
    const found = await this.containers(lab);
    if (!found.length) return null;
    const record = await this.readRecord(lab);
    // Read-only: credentials are read where the data keeps them, never made here.
    const secrets = await volumeCredentials(this.docker, lab, this.env).catch(() => null);
    let gatewayUrl = '';
    const instances: InstanceStatus[] = await Promise.all(found.map(async (f) => {
      const info = await this.docker.getContainer(f.containerId).inspect();
      const net = info.NetworkSettings.Networks[networkName(lab)];
      const innerPort = f.kind === 'service' ? 8000 : ({ postgres: 5432, redis: 6379, rabbitmq: 5672, gateway: 8080 } as Record<string, number>)[f.name]!;
      let address = net?.IPAddress ? `${net.IPAddress}:${innerPort}` : '-';
      const published = info.NetworkSettings.Ports?.[`${innerPort}/tcp`]?.[0];
      if (published) address = `${published.HostIp}:${published.HostPort}`;
      if (f.kind === 'gateway' && published) gatewayUrl = `http://${published.HostIp}:${published.HostPort}`;
      const state = stateOf(info.State);
      // Health as w2meet sees it from the host, the same check on both runtimes; the Engine's own
      // status (every 2 s) stands in only when the probe cannot be built.
      const spec = state === 'running' ? await this.probeSpec(lab, f.name, f.containerId, secrets) : null;
      const health: Health = spec ? ((await probeHealthy(spec)) ? 'healthy' : 'unhealthy') : healthOf(info.State);
      return {
        id: f.id, name: f.name as InstanceStatus['name'], kind: f.kind, replica: f.replica, state, health,
        address, pid: state === 'running' || state === 'paused' ? info.State.Pid : null,
        startedAt: info.State.StartedAt ?? null, timeline: record?.timeline[f.id] ?? {},
      };
    }));
    return { lab, runtime: 'docker', gatewayUrl, createdAt: record?.createdAt ?? '', instances };
  }

  async fault(lab: string, verb: FaultVerb, target: string): Promise<string[]> {
    await this.ensureReachable();
    const found = await this.containers(lab);
    if (!found.length) throw new LabStartError(`no lab named ${lab} is up`, 'start one with `w2meet up`');
    const targets = resolveTarget(found, target);
    checkAlarmTarget(verb, targets.map((f) => f.name));
    await Promise.all(targets.map(async (f) => {
      const c = this.docker.getContainer(f.containerId);
      const state = stateOf((await c.inspect()).State);
      switch (verb) {
        case 'stop':
          if (state === 'paused') await c.unpause();
          if (state === 'running' || state === 'paused') await c.stop({ t: STOP_SECONDS });
          return;
        case 'kill':
          if (state === 'running' || state === 'paused') await c.kill({ signal: 'SIGKILL' });
          return;
        case 'pause':
          if (state === 'running') await pauseWithRetry(c);
          return;
        case 'unpause':
          if (state === 'paused') await c.unpause();
          return;
        case 'start':
          if (state === 'paused') await c.unpause();
          else if (state !== 'running') await c.start();
          await this.waitHealthy(lab, f, f.containerId, await this.credentials(lab), new AbortController().signal, () => {});
          return;
        case 'restart':
          if (state === 'paused') await c.unpause();
          await c.restart({ t: STOP_SECONDS });
          await this.waitHealthy(lab, f, f.containerId, await this.credentials(lab), new AbortController().signal, () => {});
          return;
        case 'alarm':
        case 'unalarm':
          await this.rabbitmqctl(c, alarmArgs(verb, DOCKER_WATERMARK));
          return;
      }
    }));
    return targets.map((f) => f.id);
  }

  /** rabbitmqctl inside the broker's container, as its own user (whose home holds the cookie). */
  private async rabbitmqctl(container: Docker.Container, args: string[]): Promise<void> {
    const exec = await container.exec({
      Cmd: ['rabbitmqctl', ...args], User: 'rabbitmq', Env: ['HOME=/var/lib/rabbitmq', 'RABBITMQ_NODENAME=rabbit@rabbitmq'],
      AttachStdout: true, AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d));
    await new Promise((resolve) => stream.on('end', resolve));
    const { ExitCode } = await exec.inspect();
    if (ExitCode !== 0) throw new W2meetError('FAULT', `rabbitmqctl ${args.join(' ')} failed (exit ${ExitCode}): ${Buffer.concat(chunks).toString().replace(/[^\x20-\x7e\n]/g, '').trim()}`);
  }

  async *logs(lab: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    await this.ensureReachable();
    const found = await this.containers(lab);
    if (!found.length) throw new LabStartError(`no lab named ${lab} is up`, 'start one with `w2meet up`');
    const targets = options.target ? resolveTarget(found, options.target) : found;
    const perInstance = await Promise.all(targets.map(async (f) => {
      const lines: LogLine[] = [];
      for await (const line of containerLogLines(this.docker, f.containerId, { follow: false, tail: options.tail, since: options.since })) lines.push(parseLogLine(f.id, line));
      return lines;
    }));
    for (const entry of mergeByTime(perInstance)) if (matchesCaseId(entry, options.caseId)) yield entry;
    if (!options.follow) return;
    // One abort listener per followed container: a lab has more than Node's default warning limit.
    if (options.signal) setMaxListeners(Math.max(10, targets.length + 4), options.signal);
    yield* followAll(targets.map((f) => ({ id: f.id, lines: containerLogLines(this.docker, f.containerId, { follow: true, tail: 0, signal: options.signal }) })), options.caseId);
  }
}

/** Interleaves several followed logs as lines arrive. */
async function* followAll(streams: { id: string; lines: AsyncGenerator<string> }[], caseId?: string): AsyncGenerator<LogLine> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<string> }>>();
  const pull = (index: number) => pending.set(index, streams[index]!.lines.next().then((result) => ({ index, result })));
  streams.forEach((_, i) => pull(i));
  while (pending.size) {
    const { index, result } = await Promise.race(pending.values());
    if (result.done) {
      pending.delete(index);
      continue;
    }
    pull(index);
    const entry = parseLogLine(streams[index]!.id, result.value);
    if (matchesCaseId(entry, caseId)) yield entry;
  }
}

/** The Docker client the CLI uses, or a clear error when no daemon answers. */
export async function dockerForCli(env: NodeJS.ProcessEnv = process.env): Promise<Docker> {
  const docker = dockerClient(env);
  if (!(await pingDocker(docker))) throw new DockerUnavailableError(dockerAddress(env));
  return docker;
}
