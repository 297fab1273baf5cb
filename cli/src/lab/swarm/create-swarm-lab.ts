import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerTaskSpec, SecretReference, ServiceSpec } from 'dockerode';
import { AbortedError, PrerequisiteError } from '../../errors.js';
import { packageRoot } from '../../shared/paths.js';
import { componentFor } from '../components/catalogue.js';
import { networkName, planContainers } from '../docker/container-plan.js';
import { writeRecord } from '../docker/lab-record.js';
import { ensureRequestLogDir, requestLogDir } from '../docker/request-logs.js';
import { credentialLabels } from '../docker/volume-credentials.js';
import { freePort, freePorts } from '../free-port.js';
import type { CreateContext } from '../lifecycle/driver.js';
import type { ComponentName, LabSpec } from '../spec.js';
import { type EdgeRoute, planEdge } from './edge.js';
import { pullOnEveryNode } from './pull-on-nodes.js';
import { planService, type SchemaConfig } from './service-plan.js';
import { spreadPlacement } from './spread.js';
import type { SwarmContext, SwarmLab } from './swarm-context.js';

/**
 * Makes the lab's swarm objects, every service at 0 tasks (the lifecycle starts them in order):
 * its images (on every node), its encrypted overlay when there are several nodes, its volumes, its
 * record, the edge on 127.0.0.1, then each instance's secrets and service.
 */
export async function createSwarmLab(ctx: SwarmContext, spec: LabSpec, context: CreateContext): Promise<SwarmLab> {
  const { swarm, engine, options } = ctx;
  const lab = spec.name;
  const local = await swarm.localState();
  const gatewayPort = spec.gatewayPort === 0 ? await freePort() : spec.gatewayPort;
  const { images, flavours } = await options.images(context);
  if (context.signal.aborted) throw new AbortedError('interrupted while building the images; nothing was started');
  // Request logs as files of the lab's only where every task runs on this machine: a bind mount
  // names a folder of the node the task lands on. On a cluster, or a manager of another machine,
  // they go to each task's own log.
  const logDir = local.nodes === 1 && ctx.remote === null ? requestLogDir(lab, options.env) : null;
  if (logDir) await ensureRequestLogDir(lab, options.env);
  const network = networkName(lab);
  const containers = planContainers({ spec: { ...spec, gatewayPort }, images, flavours, ...(logDir ? { requestLogDir: logDir } : {}) });
  const nodes = await swarm.nodes();
  const pinned = options.spread ? spreadPlacement(containers, nodes, local.nodeId) : new Map<string, string>();
  const schema = ctx.remote !== null ? await schemaConfig(ctx, lab) : undefined;
  const plan = containers.map((i) => planService(lab, network, i, spec.secrets, local.nodeId, pinned.get(i.id), schema));
  if (nodes.filter((n) => n.state === 'ready' && n.availability === 'active').length > 1) {
    context.progress({ type: 'info', message: 'getting the images onto every node' });
    const planned = plan.map((p) => (p.service.TaskTemplate as ContainerTaskSpec).ContainerSpec!.Image!);
    const started = performance.now();
    await pullOnEveryNode(swarm, lab, planned, context.signal);
    if (context.signal.aborted) throw new AbortedError('interrupted while getting the images onto the nodes; nothing was started');
    context.progress({ type: 'info', message: `every node has the images (${((performance.now() - started) / 1000).toFixed(1)} s)` });
  }
  // Between nodes the overlay carries Redis AUTH and AMQP PLAIN: encrypted (IPsec) once there are several.
  await swarm.ensureOverlay(lab, network, local.nodes > 1);
  for (const volume of new Set(plan.map((p) => p.volume).filter((v): v is string => !!v))) {
    await engine.ensureVolume(lab, volume, credentialLabels(spec.secrets));
  }
  const createdAt = new Date().toISOString();
  await writeRecord(lab, { createdAt, images: options.mode, timeline: {}, ...(logDir ? { requestLogs: logDir } : {}) }, options.env);
  // The edge first: a port the gateway cannot have (on a manager of another machine, whose ports
  // w2meet cannot see beforehand) fails the start before any service is made.
  await startEdge(ctx, lab, network, images['user-service'], gatewayPort);
  for (const instance of plan) {
    if (context.signal.aborted) throw new AbortedError();
    const ids = new Map<string, string>();
    for (const secret of instance.secrets) ids.set(secret.name, await swarm.createSecret(lab, secret.name, secret.data));
    instance.serviceId = await swarm.createService(withSecretIds(instance.service, ids), 0);
  }
  return { name: lab, createdAt, secrets: spec.secrets, instances: plan, gatewayUrl: `http://127.0.0.1:${gatewayPort}` };
}

/** The schema as a config of the lab's, for a Postgres w2meet cannot reach to apply it (see planService). */
async function schemaConfig(ctx: SwarmContext, lab: string): Promise<SchemaConfig> {
  const configName = `w2meet-${lab}-schema`;
  const sql = await readFile(join(packageRoot(), 'compose', 'initdb', '001-schema.sql'), 'utf8');
  return { configName, configId: await ctx.swarm.createConfig(lab, configName, sql) };
}

async function startEdge(ctx: SwarmContext, lab: string, network: string, image: string, gatewayPort: number): Promise<void> {
  const routes: EdgeRoute[] = [{ hostPort: gatewayPort, target: `gateway:${componentFor('gateway').innerPort}` }];
  if (ctx.options.exposeInfra) {
    const infra: ComponentName[] = ['postgres', 'redis', 'rabbitmq'];
    const ports = await freePorts(infra.length);
    for (const [n, name] of infra.entries()) routes.push({ hostPort: ports[n]!, target: `${name}:${componentFor(name).innerPort}` });
  }
  const id = await ctx.engine.create(planEdge(lab, network, image, routes));
  await ctx.engine.start(id).catch((err: Error) => {
    if (ctx.remote === null || !/already allocated|address already in use/i.test(err.message)) throw err;
    throw new PrerequisiteError(
      `a port of the lab's (${routes.map((r) => r.hostPort).join(', ')}) is taken on 127.0.0.1 of ${ctx.remote}, the manager`,
      `${ctx.options.exposeInfra ? 'run up again (the infrastructure’s ports are picked anew), or ' : ''}pass another --port (w2meet can only see which ports are free on this machine)`,
    );
  });
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
