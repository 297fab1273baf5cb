import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import type { ContainerTaskSpec, SecretReference, ServiceSpec } from 'dockerode';
import { AbortedError, FaultError, PrerequisiteError } from '../../errors.js';
import { componentFor } from '../components/catalogue.js';
import { httpHealthCheck } from '../components/component.js';
import { CONTAINER_NODE_NAME } from '../components/rabbitmq.js';
import { planContainers, networkName } from '../docker/container-plan.js';
import type { ImageSource } from '../docker/create-docker-lab.js';
import { serviceLogLines } from '../docker/container-logs.js';
import { containerLogs, containerLogTail, dockerLabLogs } from '../docker/docker-logs.js';
import type { EngineClient } from '../docker/engine-client.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_LAB, LABEL_REPLICA } from '../docker/labels.js';
import type { ImageMode } from '../docker/lab-images.js';
import { readRecord, removeRecord, writeRecord } from '../docker/lab-record.js';
import { capGatewayAccessLog, ensureRequestLogDir, requestLogDir, requestLogFiles } from '../docker/request-logs.js';
import { credentialLabels, volumeCredentials } from '../docker/volume-credentials.js';
import { freePort, freePorts } from '../free-port.js';
import { LAB_ENTRIES, removeLabEntries } from '../lab-folder.js';
import { packageRoot } from '../../shared/paths.js';
import type { CreateContext, DriverLab, InstanceDetails, InstanceSignal, Running, RuntimeDriver } from '../lifecycle/driver.js';
import { waitsAmong } from '../lifecycle/waits-among.js';
import type { Health, InstanceState, LogLine, LogOptions } from '../runtime.js';
import type { ComponentName, LabSecrets, LabSpec } from '../spec.js';
import type { HostPort } from '../wait/probe-spec.js';
import { FatalProbeError } from '../wait/probes.js';
import { remoteManager, requireSafeRemote } from './engine-here.js';
import { EDGE, planEdge, type EdgeRoute } from './edge.js';
import { type ContainerVerb, FAULT_JOB, planFaultJob, runFaultJob, withPausedLabel } from './remote-fault.js';
import { SETTLE_JOB, waitNameGoneEverywhere, waitReachableEverywhere } from './name-settle.js';
import { PULL_JOB, pullOnEveryNode } from './pull-on-nodes.js';
import { planService, type SchemaConfig, serviceName, type SwarmInstance } from './service-plan.js';
import { LIVE_TASK, SWARM_SERVICE_LABEL, scaleToNothing } from './scale-to-nothing.js';
import { spreadPlacement } from './spread.js';
import type { SwarmEngine, SwarmTask } from './swarm-engine.js';

const SWARM_WATERMARK = 0.4;
/** How long a stop waits for the Engine to take the task down: its grace period and a margin. */
const STOP_WAIT_MS = 20_000;
const STOP_GRACE_S = 10;
/** Tasks that failed in a row before a start-up wait gives up. */
const FAILED_STARTS = 3;
/**
 * A task not started yet: made, placed, or `preparing` (its image being pulled from a registry onto
 * a node that has never run the lab: minutes for the base image). The start's timeout counts from
 * the end of it, up to PREPARE_LIMIT_MS.
 */
const PREPARING_TASK = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing']);
const PREPARE_LIMIT_MS = 10 * 60_000;

/** How long a start waits for the Engine to make its task at all. */
const TASK_MADE_MS = 10_000;

const newestOf = (tasks: SwarmTask[]) => [...tasks].sort((a, b) => (b.CreatedAt ?? '').localeCompare(a.CreatedAt ?? ''))[0];

/** Whether a start is still before its task's process: made, placed, or on its way (a pending one the Engine cannot place, with an error, is not). */
export function stillPreparing(newest: SwarmTask): boolean {
  const state = newest.Status?.State ?? '';
  if (state === 'pending' && newest.Status?.Err) return false;
  return PREPARING_TASK.has(state);
}
/** One-off services of the lab's that are none of its instances. */
const JOBS = new Set([FAULT_JOB, PULL_JOB, SETTLE_JOB]);

type SwarmLab = DriverLab<SwarmInstance>;

export interface SwarmDriverOptions {
  swarm: SwarmEngine;
  engine: EngineClient;
  images: ImageSource;
  mode: ImageMode;
  exposeInfra: boolean;
  env: NodeJS.ProcessEnv;
  /** Pin each component's replicas to different nodes (see spread.ts); otherwise the Engine places them. */
  spread?: boolean;
}

/** Reads a swarm service's log where the Engine API reads a container's: the manager gathers every node's. */
function serviceLogReader(docker: Docker): EngineClient['logLines'] {
  return (serviceId, options) => serviceLogLines(docker, serviceId, options);
}

/** On a service whose task of another node a fault job paused: that task's container id. */
export const LABEL_PAUSED = 'dev.w2meet.paused';

export const SWARM_HINT =
  'run `w2meet swarm init` for a swarm of this machine alone, or point DOCKER_HOST at a manager of an existing swarm';

/**
 * The lab as swarm services (see ../../../README.md, "On a Swarm cluster"). Each instance is a
 * service of one task, named after it: the gateway's upstreams, the fault verbs and the reports
 * name replicas (availability-service-2), and a service of its own gives each replica a name that
 * outlives its tasks. The Engine places every task, restarts one that ends, replaces one whose
 * health check fails, and balances each name over the task behind it; the lifecycle starts them in
 * dependency order by scaling each from 0 to 1 and waits for the Engine to call it healthy.
 */
export class SwarmDriver implements RuntimeDriver<SwarmInstance> {
  readonly name = 'swarm' as const;
  readonly brokerWatermark = SWARM_WATERMARK;
  private readonly swarm: SwarmEngine;
  private readonly engine: EngineClient;
  private saving: Promise<void> = Promise.resolve();
  /**
   * The manager's host when DOCKER_HOST is an Engine of another machine (see engine-here.ts): then
   * nothing of the lab is reachable from here but through a tunnel the user opens, so a task's
   * health is the Engine's verdict and a readiness check run in it through the Engine
   * (healthyElsewhere), Postgres applies the schema itself, and the gateway is reached through
   * `ssh -L` to the manager's 127.0.0.1.
   */
  readonly remote: string | null;

  constructor(private readonly options: SwarmDriverOptions) {
    this.swarm = options.swarm;
    this.engine = options.engine;
    this.remote = remoteManager(options.env);
  }

  async available(): Promise<boolean> {
    if (!(await this.engine.ping())) return false;
    const local = await this.swarm.localState().catch(() => null);
    return local?.state === 'active' && local.manager;
  }

  async requireAvailable(): Promise<void> {
    await this.engine.requireReachable();
    const local = await this.swarm.localState();
    if (local.state !== 'active') throw new PrerequisiteError(`the Docker Engine is not part of a swarm (${local.state})`, SWARM_HINT);
    if (!local.manager) throw new PrerequisiteError('the Docker Engine is a worker of its swarm, not a manager', SWARM_HINT);
  }

  async load(lab: string): Promise<SwarmLab | null> {
    // A fault job (remote-fault.ts) carries the lab's label for `down`, but is no instance of it.
    const services = (await this.swarm.labServices(lab).catch(() => [])).filter((s) => !JOBS.has(s.Spec.Labels?.[LABEL_COMPONENT] ?? ''));
    if (!services.length) return null;
    const record = await readRecord(lab, this.options.env).catch(() => null);
    if (record?.requestLogs) await capGatewayAccessLog(record.requestLogs);
    const secrets = await volumeCredentials(this.engine, lab, this.options.env).catch(() => null);
    const instances = waitsAmong(
      services
        .map((s): Omit<SwarmInstance, 'dependsOn' | 'startsAfter'> => {
          const labels = s.Spec.Labels ?? {};
          const id = labels[LABEL_INSTANCE]!;
          return {
            id,
            name: labels[LABEL_COMPONENT] as ComponentName,
            kind: componentFor(labels[LABEL_COMPONENT]!).kind,
            replica: Number(labels[LABEL_REPLICA] ?? 1),
            serviceId: s.ID,
            serviceName: s.Spec.Name ?? serviceName(lab, id),
            service: s.Spec,
            secrets: [],
            containerName: s.Spec.Name ?? '',
            options: {},
            timeline: record?.timeline[id] ?? {},
          };
        })
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    return { name: lab, createdAt: record?.createdAt ?? '', secrets, instances, gatewayUrl: await this.edgeGatewayUrl(lab) };
  }

  /** The gateway's address on this machine: the edge container's first route. */
  private async edgeGatewayUrl(lab: string): Promise<string> {
    const edge = (await this.engine.containersByLabel(`${LABEL_COMPONENT}=${EDGE}`)).find((c) => c.labels[LABEL_LAB] === lab);
    if (!edge) return '';
    const info = await this.engine.inspect(edge.containerId);
    const routes = (info.Config.Env ?? []).find((e) => e.startsWith('ROUTES='))?.slice('ROUTES='.length) ?? '';
    const port = routes.split(',')[0]?.split('=')[0];
    return port ? `http://127.0.0.1:${port}` : '';
  }

  async create(spec: LabSpec, context: CreateContext): Promise<SwarmLab> {
    requireSafeRemote(this.options.env);
    const lab = spec.name;
    const local = await this.swarm.localState();
    const gatewayPort = spec.gatewayPort === 0 ? await freePort() : spec.gatewayPort;
    const { images, flavours } = await this.options.images(context);
    if (context.signal.aborted) throw new AbortedError('interrupted while building the images; nothing was started');
    // Request logs as files of the lab's only where every task runs on this machine: a bind mount
    // names a folder of the node the task lands on. On a cluster, or a manager of another machine,
    // they go to each task's own log.
    const logDir = local.nodes === 1 && this.remote === null ? requestLogDir(lab, this.options.env) : null;
    if (logDir) await ensureRequestLogDir(lab, this.options.env);
    const network = networkName(lab);
    const containers = planContainers({ spec: { ...spec, gatewayPort }, images, flavours, ...(logDir ? { requestLogDir: logDir } : {}) });
    const nodes = await this.swarm.nodes();
    const pinned = this.options.spread ? spreadPlacement(containers, nodes, local.nodeId) : new Map<string, string>();
    const schema = this.remote !== null ? await this.schemaConfig(lab) : undefined;
    const plan = containers.map((i) => planService(lab, network, i, spec.secrets, local.nodeId, pinned.get(i.id), schema));
    if (nodes.filter((n) => n.state === 'ready' && n.availability === 'active').length > 1) {
      context.progress({ type: 'info', message: 'getting the images onto every node' });
      const images = plan.map((p) => (p.service.TaskTemplate as ContainerTaskSpec).ContainerSpec!.Image!);
      const started = performance.now();
      await pullOnEveryNode(this.swarm, lab, images, context.signal);
      if (context.signal.aborted) throw new AbortedError('interrupted while getting the images onto the nodes; nothing was started');
      context.progress({ type: 'info', message: `every node has the images (${((performance.now() - started) / 1000).toFixed(1)} s)` });
    }
    // Between nodes the overlay carries Redis AUTH and AMQP PLAIN: encrypted (IPsec) once there are several.
    await this.swarm.ensureOverlay(lab, network, local.nodes > 1);
    for (const volume of new Set(plan.map((p) => p.volume).filter((v): v is string => !!v))) {
      await this.engine.ensureVolume(lab, volume, credentialLabels(spec.secrets));
    }
    const createdAt = new Date().toISOString();
    await writeRecord(
      lab,
      { createdAt, images: this.options.mode, timeline: {}, ...(logDir ? { requestLogs: logDir } : {}) },
      this.options.env,
    );
    // The edge first: a port the gateway cannot have (on a manager of another machine, whose ports
    // w2meet cannot see beforehand) fails the start before any service is made.
    await this.startEdge(lab, network, images['user-service'], gatewayPort);
    for (const instance of plan) {
      if (context.signal.aborted) throw new AbortedError();
      const ids = new Map<string, string>();
      for (const secret of instance.secrets) ids.set(secret.name, await this.swarm.createSecret(lab, secret.name, secret.data));
      instance.serviceId = await this.swarm.createService(withSecretIds(instance.service, ids), 0);
    }
    return { name: lab, createdAt, secrets: spec.secrets, instances: plan, gatewayUrl: `http://127.0.0.1:${gatewayPort}` };
  }

  /** The schema as a config of the lab's, for a Postgres w2meet cannot reach to apply it (see planService). */
  private async schemaConfig(lab: string): Promise<SchemaConfig> {
    const configName = `w2meet-${lab}-schema`;
    const sql = await readFile(join(packageRoot(), 'compose', 'initdb', '001-schema.sql'), 'utf8');
    return { configName, configId: await this.swarm.createConfig(lab, configName, sql) };
  }

  private async startEdge(lab: string, network: string, image: string, gatewayPort: number): Promise<void> {
    const routes: EdgeRoute[] = [{ hostPort: gatewayPort, target: `gateway:${componentFor('gateway').innerPort}` }];
    if (this.options.exposeInfra) {
      const infra: ComponentName[] = ['postgres', 'redis', 'rabbitmq'];
      const ports = await freePorts(infra.length);
      for (const [n, name] of infra.entries()) routes.push({ hostPort: ports[n]!, target: `${name}:${componentFor(name).innerPort}` });
    }
    const id = await this.engine.create(planEdge(lab, network, image, routes));
    await this.engine.start(id).catch((err: Error) => {
      if (this.remote === null || !/already allocated|address already in use/i.test(err.message)) throw err;
      throw new PrerequisiteError(
        `a port of the lab's (${routes.map((r) => r.hostPort).join(', ')}) is taken on 127.0.0.1 of ${this.remote}, the manager`,
        `${this.options.exposeInfra ? 'run up again (the infrastructure’s ports are picked anew), or ' : ''}pass another --port (w2meet can only see which ports are free on this machine)`,
      );
    });
  }

  /** The infrastructure's ports on 127.0.0.1 with --expose-infra, from the routes of the edge that runs (none carries them else). */
  async infraPorts(lab: string): Promise<Partial<Record<ComponentName, number>>> {
    const edge = (await this.engine.containersByLabel(`${LABEL_COMPONENT}=${EDGE}`)).find(
      (c) => c.labels[LABEL_LAB] === lab && c.state === 'running',
    );
    if (!edge) return {};
    const env = (await this.engine.inspect(edge.containerId)).Config.Env ?? [];
    const routes =
      env
        .find((e) => e.startsWith('ROUTES='))
        ?.slice('ROUTES='.length)
        .split(',') ?? [];
    return Object.fromEntries(
      routes.slice(1).map((r) => {
        const [port, target] = r.split('=');
        return [target!.split(':')[0], Number(port)];
      }),
    );
  }

  save(lab: SwarmLab): Promise<void> {
    this.saving = this.saving
      .catch(() => {})
      .then(async () => {
        const record = await readRecord(lab.name, this.options.env).catch(() => null);
        await writeRecord(
          lab.name,
          {
            createdAt: lab.createdAt,
            images: record?.images ?? this.options.mode,
            timeline: Object.fromEntries(lab.instances.map((i) => [i.id, i.timeline])),
            ...(record?.requestLogs ? { requestLogs: record.requestLogs } : {}),
          },
          this.options.env,
        );
      });
    return this.saving;
  }

  async start(_lab: SwarmLab, i: SwarmInstance): Promise<Running> {
    const since = new Date().toISOString();
    await this.swarm.scale(i.serviceId!, 1);
    return {
      // A task the Engine rejects (no such image on the node it chose) will not start however long
      // one waits; nor will one whose tasks keep failing as they start (the Engine starts another
      // each time): after the third, the wait ends with the last one's error.
      exited: async () => {
        const tasks = await this.swarm.tasks(i.serviceId!);
        const rejected = tasks.find((t) => t.Status?.State === 'rejected' && (t.CreatedAt ?? '') >= since);
        if (rejected) return `the Engine rejected its task: ${rejected.Status?.Err ?? 'no reason given'}`;
        const failed = tasks.filter((t) => t.Status?.State === 'failed' && (t.CreatedAt ?? '') >= since);
        return failed.length >= FAILED_STARTS
          ? `its last ${failed.length} tasks failed: ${failed[0]?.Status?.Err ?? 'no reason given'}`
          : null;
      },
      prepared: async (signal) => {
        const deadline = Date.now() + PREPARE_LIMIT_MS;
        const madeBy = Date.now() + TASK_MADE_MS;
        for (;;) {
          const tasks = await this.swarm.tasks(i.serviceId!);
          const recent = tasks.filter((t) => (t.CreatedAt ?? '') >= since);
          // A task rejected since is for exited() to report.
          if (recent.some((t) => t.Status?.State === 'rejected') || signal.aborted) return;
          // The newest task made since; none when the service ran one already (a start after a kill
          // the Engine had made good): then the one meant to run.
          const newest = newestOf(recent.length ? recent : tasks.filter((t) => t.DesiredState === 'running'));
          if (!newest && Date.now() >= madeBy) return;
          if (newest && !stillPreparing(newest)) return;
          if (Date.now() >= deadline)
            throw new FatalProbeError(
              `${i.id}: its task was still ${newest?.Status?.State ?? 'not made'} after ${PREPARE_LIMIT_MS / 60_000} min`,
              `\`docker service ps --no-trunc ${i.serviceName}\` shows where it stands: a task preparing is pulling its image (a slow registry, or one its node cannot reach)`,
            );
          await sleep(500);
        }
      },
    };
  }

  /** The task the Engine means to run now (the newest one meant to run), else the newest. */
  private async currentTask(i: SwarmInstance): Promise<SwarmTask | null> {
    const tasks = (await this.swarm.tasks(i.serviceId!)).sort((a, b) => (b.CreatedAt ?? '').localeCompare(a.CreatedAt ?? ''));
    return tasks.find((t) => t.DesiredState === 'running') ?? tasks[0] ?? null;
  }

  /** The container of the current task when it runs on this node, else null. */
  private async localContainer(i: SwarmInstance): Promise<string | null> {
    const task = await this.currentTask(i);
    const id = task?.Status?.ContainerStatus?.ContainerID;
    if (!task || !id || !LIVE_TASK.has(task.Status?.State ?? '')) return null;
    const local = await this.swarm.localState();
    return task.NodeID === local.nodeId ? id : null;
  }

  async state(_lab: SwarmLab, i: SwarmInstance): Promise<InstanceState> {
    const task = await this.currentTask(i);
    if (task?.DesiredState !== 'running') {
      // Scaled to 0 (stopped), or between a task that ended and the one replacing it.
      return (await this.swarm.replicas(i.serviceId!)) === 0 ? 'stopped' : 'exited';
    }
    if (!LIVE_TASK.has(task.Status?.State ?? '')) return 'exited';
    const container = await this.localContainer(i);
    if (container) return (await this.engine.inspect(container).catch(() => null))?.State.Paused ? 'paused' : 'running';
    // A task of another node cannot be inspected from here: its service says which container was
    // paused through a fault job (a task that replaced it since is not paused).
    const paused = (await this.swarm.serviceLabels(i.serviceId!).catch(() => ({}) as Record<string, string>))[LABEL_PAUSED];
    return paused && paused === task.Status?.ContainerStatus?.ContainerID ? 'paused' : 'running';
  }

  /**
   * Where the host reaches it: the gateway through the edge; a task of this node at its address on
   * Docker's gateway bridge, and only once the Engine calls it running (with a health check, that is
   * once it is healthy, and only then do the others reach it by name: the start waits for that).
   */
  async address(lab: SwarmLab, i: SwarmInstance): Promise<HostPort | null> {
    if (this.remote !== null) return null;
    const task = await this.currentTask(i);
    if (task?.Status?.State !== 'running') return null;
    if (i.kind === 'gateway') {
      if (!lab.gatewayUrl) return null;
      const url = new URL(lab.gatewayUrl);
      return { host: url.hostname, port: Number(url.port) };
    }
    const container = await this.localContainer(i);
    const ip = container ? await this.swarm.bridgeAddress(container) : null;
    return ip ? { host: ip, port: componentFor(i.name).innerPort } : null;
  }

  /**
   * For a task the host cannot probe: the Engine's verdict (running means its health check passed)
   * for a task of another node; for one of the manager's own node when the manager is another
   * machine, also the readiness check w2meet's probe stands for, run in its container through the
   * Engine (a service's own health check asks only that it answers: see planService).
   */
  async healthyElsewhere(_lab: SwarmLab, i: SwarmInstance): Promise<boolean> {
    const task = await this.currentTask(i);
    if (task?.Status?.State !== 'running') return false;
    if (task.NodeID !== (await this.swarm.localState()).nodeId) return true;
    if (this.remote === null) return false;
    const container = task.Status.ContainerStatus?.ContainerID;
    const check = readinessCheck(i);
    if (!container || !check) return true;
    return this.engine.exec(container, check, {}).then(
      () => true,
      () => false,
    );
  }

  /** With a manager of another machine, Postgres made the lab's database and schema itself (see planService). */
  tookStepItself(_lab: SwarmLab, i: SwarmInstance): boolean {
    return this.remote !== null && i.name === 'postgres';
  }

  async signal(lab: SwarmLab, i: SwarmInstance, signal: InstanceSignal): Promise<void> {
    const container = await this.localContainer(i);
    switch (signal) {
      case 'stop': {
        // A paused task cannot take its stop signal: it is let go first.
        if (container && (await this.engine.inspect(container).catch(() => null))?.State.Paused) await this.engine.unpause(container);
        // Stopped here first, on its network, as on Docker: a task the Engine scales away is taken
        // off the network before its process ends, so what it says as it ends (Postgres closing its
        // connections) never reaches the others, whose next query then waits out its timeout.
        if (container) await this.engine.stop(container, STOP_GRACE_S).catch(() => {});
        else if ((await this.currentTask(i))?.Status?.State === 'running') {
          if ((await this.state(lab, i)) === 'paused') await this.onItsNode(lab, i, 'unpause').catch(() => {});
          await this.onItsNode(lab, i, 'stop').catch(() => {});
        }
        if (!(await scaleToNothing(this.swarm, this.engine, i.serviceId!, Date.now() + STOP_WAIT_MS))) {
          // Left at 0 with a task running, the service would look running to `start` (which would
          // then do nothing) and lose that task at its next update: it is set back to what runs.
          await this.swarm.scale(i.serviceId!, 1).catch(() => {});
          throw new FaultError(
            `${i.id}: still runs ${STOP_WAIT_MS / 1000} s after its stop: the Engine did not take its task down, so it was left running`,
            `see \`docker service ps ${serviceName(lab.name, i.id)}\`, then stop it again`,
          );
        }
        // The stop is over once no node still resolves its name (see name-settle.ts): on one node
        // too, a name kept its old task's address for seconds, and a start then gave it two.
        const image = this.servicesImage(lab, i);
        if (image) {
          const target = { lab: lab.name, image, network: networkName(lab.name), name: i.id };
          await waitNameGoneEverywhere(this.swarm, target, new AbortController().signal);
        }
        return;
      }
      case 'kill':
        // The Engine sees its task fail and starts another: killing a task is how Swarm is tested.
        if (!container) return this.onItsNode(lab, i, 'kill');
        return this.engine.kill(container);
      case 'pause':
        if (!container) return this.onItsNode(lab, i, 'pause');
        return this.engine.pause(container);
      case 'unpause':
        if (!container) return this.onItsNode(lab, i, 'unpause');
        return this.engine.unpause(container);
    }
  }

  /**
   * A start is over once every node reaches it (see name-settle.ts), one node included: without
   * this wait there, a fresh CI run's swarm answered 503 for an expected 502 right after a start.
   */
  async settle(lab: SwarmLab, i: SwarmInstance): Promise<void> {
    const image = this.servicesImage(lab, i);
    if (!image) return;
    const target = { lab: lab.name, image, network: networkName(lab.name), name: i.id };
    await waitReachableEverywhere(this.swarm, target, componentFor(i.name).innerPort, new AbortController().signal);
  }

  /** The services' image: it has Node and a shell, and is on every node a service runs on. */
  private servicesImage(lab: SwarmLab, i: SwarmInstance): string | undefined {
    return [i, ...lab.instances]
      .filter((x) => x.kind === 'service')
      .map((x) => (x.service.TaskTemplate as { ContainerSpec?: { Image?: string } }).ContainerSpec?.Image)
      .find(Boolean);
  }

  /** kill, pause or unpause on a task of another node, by a one-off task on that node (see remote-fault.ts). */
  private async onItsNode(lab: SwarmLab, i: SwarmInstance, verb: ContainerVerb): Promise<void> {
    const task = await this.currentTask(i);
    const container = task?.Status?.ContainerStatus?.ContainerID;
    if (!task?.NodeID || !container || !LIVE_TASK.has(task.Status?.State ?? ''))
      throw new FaultError(`${i.id}: no task of it runs, so there is nothing to ${verb}`, `see \`w2meet status --lab ${lab.name}\``);
    const image = this.servicesImage(lab, i);
    if (!image) throw new FaultError(`${i.id}: no image of the lab's services to run the ${verb} with`);
    const readLog = async (serviceId: string) => containerLogTail({ logLines: serviceLogReader(this.swarm.docker) }, serviceId, 5);
    const job = planFaultJob(lab.name, image, task.NodeID, container, verb, STOP_GRACE_S);
    await withPausedLabel(
      verb,
      container,
      (value) => this.swarm.setServiceLabel(i.serviceId!, LABEL_PAUSED, value),
      () => runFaultJob(this.swarm, job, `${verb} ${i.id}`, readLog),
    );
  }

  /**
   * Removes the lab's swarm objects and only those: its services (and so their tasks), the edge,
   * its secrets and its overlay network. A lab of the same name on Docker (`down` asks every
   * runtime) is left alone: with no service, secret or edge of the lab this does nothing.
   */
  async remove(lab: string, options: { volumes: boolean }): Promise<void> {
    const services = await this.swarm.labServices(lab).catch(() => []);
    const edges = await this.edges(lab);
    const secrets = await this.swarm.labSecretNames(lab).catch(() => []);
    const configs = await this.swarm.labConfigNames(lab).catch(() => []);
    if (!services.length && !edges.length && !secrets.length && !configs.length) return;
    for (const s of services) await this.swarm.removeService(s.ID).catch(() => {});
    // The tasks' containers go after their services, asynchronously; the network and the volumes
    // they use can only go once they are gone.
    const deadline = Date.now() + STOP_WAIT_MS;
    while (Date.now() < deadline && (await this.taskContainers(lab)).length + (await this.swarm.labTasks(lab).catch(() => [])).length) {
      await sleep(250);
    }
    for (const id of [...edges, ...(await this.taskContainers(lab))]) await this.engine.remove(id).catch(() => {});
    await this.swarm.removeSecrets(lab);
    await this.swarm.removeConfigs(lab);
    await this.swarm.removeOverlays(lab);
    if (options.volumes) await this.engine.removeVolumes(lab);
    await removeRecord(lab, this.options.env);
    if (options.volumes) await removeLabEntries(lab, LAB_ENTRIES.docker, this.options.env);
  }

  /** The lab's edge container (one, or none). */
  private async edges(lab: string): Promise<string[]> {
    return (await this.engine.containersByLabel(`${LABEL_COMPONENT}=${EDGE}`).catch(() => []))
      .filter((c) => c.labels[LABEL_LAB] === lab)
      .map((c) => c.containerId);
  }

  /** Containers of the lab's tasks: labelled with the lab and made by the swarm. */
  private async taskContainers(lab: string): Promise<string[]> {
    return (await this.engine.containersByLabel(`${LABEL_LAB}=${lab}`).catch(() => []))
      .filter((c) => c.labels[SWARM_SERVICE_LABEL])
      .map((c) => c.containerId);
  }

  async details(lab: SwarmLab, i: SwarmInstance): Promise<InstanceDetails> {
    const task = await this.currentTask(i);
    const container = await this.localContainer(i);
    const info = container ? await this.engine.inspect(container).catch(() => null) : null;
    const state = task?.Status?.State;
    const engineHealth: Health = state === 'running' ? 'healthy' : state === 'starting' ? 'starting' : 'unknown';
    return {
      pid: info?.State.Pid || null,
      startedAt: info?.State.StartedAt ?? task?.Status?.Timestamp ?? null,
      engineHealth,
      image: info?.Config?.Image,
      address: await this.addressShown(lab, i, task, container),
    };
  }

  /** Where status says an instance is, as host:port when this machine can reach it, else in words. */
  private async addressShown(
    lab: SwarmLab,
    i: SwarmInstance,
    task: SwarmTask | null | undefined,
    container: string | null,
  ): Promise<string> {
    // The gateway is reached through the edge, on 127.0.0.1 (this machine's, or through the tunnel the manager's).
    if (i.kind === 'gateway' && lab.gatewayUrl) return new URL(lab.gatewayUrl).host;
    if (this.remote === null) {
      const ip = container ? await this.swarm.bridgeAddress(container) : null;
      if (ip) return `${ip}:${componentFor(i.name).innerPort}`;
    } else {
      // A manager of another machine's gateway bridge is not reachable from here. With --expose-infra
      // the edge publishes the infrastructure on its 127.0.0.1, which the tunnel `status` prints
      // carries to the same port here (see gatewayTunnel).
      const tunnelled = i.kind === 'infra' ? (await this.infraPorts(lab.name).catch(() => null))?.[i.name] : undefined;
      if (tunnelled) return `127.0.0.1:${tunnelled}`;
      if (task && task.NodeID === (await this.swarm.localState()).nodeId) return `task on ${this.remote}`;
    }
    return task ? `task on node ${task.NodeID?.slice(0, 12)}` : '-';
  }

  async logTail(_lab: SwarmLab, i: SwarmInstance): Promise<string> {
    // The newest task with a container of this node, running or not: a task that failed has the reason in its log.
    const local = await this.swarm.localState();
    const container = (await this.swarm.tasks(i.serviceId!))
      .filter((t) => t.NodeID === local.nodeId && t.Status?.ContainerStatus?.ContainerID)
      .sort((a, b) => (b.CreatedAt ?? '').localeCompare(a.CreatedAt ?? ''))[0]?.Status?.ContainerStatus?.ContainerID;
    if (!container && i.serviceId)
      return `--- last lines of its service's log (every node) ---\n${await containerLogTail({ logLines: serviceLogReader(this.swarm.docker) }, i.serviceId, 15)}`;
    if (!container) return '--- no task of it ran ---';
    return `--- last lines of its log ---\n${await containerLogTail(this.engine, container, 15)}`;
  }

  async *logs(lab: SwarmLab, instances: SwarmInstance[], options: LogOptions): AsyncGenerator<LogLine> {
    const dir = (await readRecord(lab.name, this.options.env).catch(() => null))?.requestLogs ?? null;
    if (!dir) {
      // A lab made on a swarm of several nodes: request logs stay in each task's own log, which
      // the manager gathers from every node (`docker service logs`), every task of the service.
      const services = { logLines: serviceLogReader(this.swarm.docker) };
      const targets = instances.filter((i) => i.serviceId).map((i) => ({ id: i.id, containerId: i.serviceId! }));
      yield* containerLogs(services, targets, options);
      return;
    }
    const targets = await Promise.all(
      instances.map(async (i) => ({ id: i.id, containerId: await this.localContainer(i), files: requestLogFiles(dir, i.id) })),
    );
    yield* dockerLabLogs(
      this.engine,
      targets.filter((t): t is { id: string; containerId: string; files: string[] } => t.containerId !== null),
      options,
    );
  }

  async credentials(lab: string): Promise<LabSecrets | null> {
    if (!(await this.engine.ping())) return null;
    return volumeCredentials(this.engine, lab, this.options.env);
  }

  async brokerCommand(_lab: SwarmLab, i: SwarmInstance, args: string[]): Promise<void> {
    const container = await this.localContainer(i);
    if (!container) throw new PrerequisiteError(`${i.id} runs on another node`, 'run the fault from a manager on that node');
    await this.engine.exec(container, ['rabbitmqctl', ...args], {
      user: 'rabbitmq',
      env: ['HOME=/var/lib/rabbitmq', `RABBITMQ_NODENAME=${CONTAINER_NODE_NAME}`],
    });
  }
}

/** The readiness check of an instance as a command: a service's /health answering 200, else its own health check. */
function readinessCheck(i: SwarmInstance): string[] | null {
  const test =
    i.kind === 'service'
      ? httpHealthCheck(componentFor(i.name).innerPort)
      : (i.service?.TaskTemplate as ContainerTaskSpec | undefined)?.ContainerSpec?.HealthCheck?.Test;
  if (!test?.length) return null;
  if (test[0] === 'CMD-SHELL') return ['sh', '-c', test.slice(1).join(' ')];
  return test[0] === 'CMD' ? test.slice(1) : null;
}

/** A service's secret references with the ids the Engine gave the secrets (it takes no reference by name alone). */
function withSecretIds(service: ServiceSpec, ids: Map<string, string>): ServiceSpec {
  const task = service.TaskTemplate as { ContainerSpec?: { Secrets?: SecretReference[] } };
  const refs = task.ContainerSpec?.Secrets;
  if (!refs?.length) return service;
  return {
    ...service,
    TaskTemplate: {
      ...service.TaskTemplate,
      ContainerSpec: { ...task.ContainerSpec, Secrets: refs.map((r) => ({ ...r, SecretID: ids.get(r.SecretName ?? '') })) },
    },
  } as ServiceSpec;
}
