import { PrerequisiteError } from '../../errors.js';
import { CONTAINER_NODE_NAME } from '../components/rabbitmq.js';
import { containerLogs, containerLogTail, dockerLabLogs } from '../docker/docker-logs.js';
import type { EngineClient } from '../docker/engine-client.js';
import { readRecord } from '../docker/lab-record.js';
import { requestLogFiles } from '../docker/request-logs.js';
import { EngineLabRecords, rabbitmqctlIn } from '../docker/engine-lab-records.js';
import type * as Driver from '../lifecycle/driver.js';
import type { InstanceState, LogLine, LogOptions } from '../runtime.js';
import type { ComponentName, LabSpec } from '../spec.js';
import type { HostPort } from '../wait/probe-spec.js';
import { createSwarmLab } from './create-swarm-lab.js';
import { loadSwarmLab } from './load-swarm-lab.js';
import { remoteManager, requireSafeRemote } from './engine-here.js';
import type { SwarmInstance } from './service-plan.js';
import {
  currentTask,
  instanceState,
  localContainerOf,
  newestFirst,
  type SwarmContext,
  type SwarmDriverOptions,
  type SwarmLab,
  serviceLogReader,
} from './swarm-context.js';
import type { SwarmEngine, SwarmTask } from './swarm-engine.js';
import { removeSwarmLab } from './swarm-remove.js';
import { settleInstance, signalInstance } from './swarm-signal.js';
import { startTask } from './swarm-start.js';
import { healthyElsewhere, infraPorts, instanceAddress, instanceDetails } from './swarm-whereabouts.js';

const SWARM_WATERMARK = 0.4;
export { stillPreparing } from './swarm-start.js';
export type { SwarmDriverOptions } from './swarm-context.js';

const SWARM_HINT = 'run `w2meet swarm init` for a swarm of this machine alone, or point DOCKER_HOST at a manager of an existing swarm';

/**
 * The lab as swarm services (see ../../../README.md, "On a Swarm cluster"). Each instance is a
 * service of one task, named after it: the gateway's upstreams, the fault verbs and the reports
 * name replicas (availability-service-2), and a service of its own gives each replica a name that
 * outlives its tasks. The Engine places every task, restarts one that ends, replaces one whose
 * health check fails, and balances each name over the task behind it; the lifecycle starts them in
 * dependency order by scaling each from 0 to 1 and waits for the Engine to call it healthy.
 */
export class SwarmDriver implements Driver.RuntimeDriver<SwarmInstance> {
  readonly name = 'swarm' as const;
  private readonly swarm: SwarmEngine;
  private readonly engine: EngineClient;
  private readonly records: EngineLabRecords;
  readonly store: Driver.LabStore<SwarmInstance> = {
    load: (lab) => loadSwarmLab(this.context, lab),
    save: (lab) => this.records.save(lab),
    credentials: (lab) => this.records.credentials(lab),
  };
  readonly shown: Driver.InstanceReadout<SwarmInstance> = {
    details: (lab, i) => instanceDetails(this.context, lab, i),
    logTail: (_lab, i) => this.logTail(i),
  };
  readonly broker: Driver.BrokerControl<SwarmInstance> = {
    command: async (_lab, i, args) => {
      const container = await this.localContainer(i);
      if (!container) throw new PrerequisiteError(`${i.id} runs on another node`, 'run the fault from a manager on that node');
      await rabbitmqctlIn(this.engine, container, args, CONTAINER_NODE_NAME);
    },
    watermark: SWARM_WATERMARK,
  };
  readonly cluster: Driver.ClusterHooks<SwarmInstance> = {
    healthyElsewhere: (_lab, i) => healthyElsewhere(this.context, i),
    // With a manager of another machine, Postgres made the lab's database and schema itself (see planService).
    tookStepItself: (_lab, i) => this.remote !== null && i.name === 'postgres',
    settle: (lab, i) => settleInstance(this.context, lab, i),
  };
  private readonly context: SwarmContext;
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
    this.context = { swarm: this.swarm, engine: this.engine, options, remote: this.remote };
    this.records = new EngineLabRecords(options.engine, options.mode, options.env);
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

  async create(spec: LabSpec, context: Driver.CreateContext): Promise<SwarmLab> {
    requireSafeRemote(this.options.env);
    return createSwarmLab(this.context, spec, context);
  }

  start(_lab: SwarmLab, i: SwarmInstance): Promise<Driver.Running> {
    return startTask(this.swarm, i);
  }

  private async currentTask(i: SwarmInstance): Promise<SwarmTask | null> {
    return currentTask(this.swarm, i);
  }

  /** The container of the current task when it runs on this node, else null. */
  private async localContainer(i: SwarmInstance): Promise<string | null> {
    return localContainerOf(this.swarm, await this.currentTask(i));
  }

  state(_lab: SwarmLab, i: SwarmInstance): Promise<InstanceState> {
    return instanceState(this.context, i);
  }

  /**
   * Where the host reaches it: the gateway through the edge; a task of this node at its address on
   * Docker's gateway bridge, once the Engine calls it running (see swarm-whereabouts.ts).
   */
  address(lab: SwarmLab, i: SwarmInstance): Promise<HostPort | null> {
    return instanceAddress(this.context, lab, i);
  }

  /** The infrastructure's ports on 127.0.0.1 with --expose-infra, from the routes of the edge that runs. */
  infraPorts(lab: string): Promise<Partial<Record<ComponentName, number>>> {
    return infraPorts(this.context, lab);
  }

  signal(lab: SwarmLab, i: SwarmInstance, signal: Driver.InstanceSignal): Promise<void> {
    return signalInstance(this.context, lab, i, signal);
  }

  remove(lab: string, options: { volumes: boolean }): Promise<void> {
    return removeSwarmLab(this.context, lab, options);
  }

  private async logTail(i: SwarmInstance): Promise<string> {
    // The newest task with a container of this node, running or not: a task that failed has the reason in its log.
    const local = await this.swarm.localState();
    const container = newestFirst(await this.swarm.tasks(i.serviceId!)).find(
      (t) => t.NodeID === local.nodeId && t.Status?.ContainerStatus?.ContainerID,
    )?.Status?.ContainerStatus?.ContainerID;
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
}
