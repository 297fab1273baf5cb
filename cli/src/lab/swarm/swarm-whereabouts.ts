import type { ContainerTaskSpec } from 'dockerode';
import { componentFor } from '../components/catalogue.js';
import { httpHealthCheck } from '../components/component.js';
import type { InstanceDetails } from '../lifecycle/driver.js';
import type { Health } from '../runtime.js';
import type { ComponentName } from '../spec.js';
import type { HostPort } from '../wait/probe-spec.js';
import { edgeRoutes } from './edge.js';
import type { SwarmInstance } from './service-plan.js';
import { currentTask, localContainerOf, type SwarmContext, type SwarmLab } from './swarm-context.js';
import type { SwarmTask } from './swarm-engine.js';

/**
 * Where the host reaches it: the gateway through the edge; a task of this node at its address on
 * Docker's gateway bridge, and only once the Engine calls it running (with a health check, that is
 * once it is healthy, and only then do the others reach it by name: the start waits for that).
 */
export async function instanceAddress(ctx: SwarmContext, lab: SwarmLab, i: SwarmInstance): Promise<HostPort | null> {
  if (ctx.remote !== null) return null;
  const task = await currentTask(ctx.swarm, i);
  if (task?.Status?.State !== 'running') return null;
  if (i.kind === 'gateway') {
    if (!lab.gatewayUrl) return null;
    const url = new URL(lab.gatewayUrl);
    return { host: url.hostname, port: Number(url.port) };
  }
  const container = await localContainerOf(ctx.swarm, task);
  const ip = container ? await ctx.swarm.bridgeAddress(container) : null;
  return ip ? { host: ip, port: componentFor(i.name).innerPort } : null;
}

/**
 * For a task the host cannot probe: the Engine's verdict (running means its health check passed)
 * for a task of another node; for one of the manager's own node when the manager is another
 * machine, also the readiness check w2meet's probe stands for, run in its container through the
 * Engine (a service's own health check asks only that it answers: see planService).
 */
export async function healthyElsewhere(ctx: SwarmContext, i: SwarmInstance): Promise<boolean> {
  const task = await currentTask(ctx.swarm, i);
  if (task?.Status?.State !== 'running') return false;
  if (task.NodeID !== (await ctx.swarm.localState()).nodeId) return true;
  if (ctx.remote === null) return false;
  const container = task.Status.ContainerStatus?.ContainerID;
  const check = readinessCheck(i);
  if (!container || !check) return true;
  return ctx.engine.exec(container, check, {}).then(
    () => true,
    () => false,
  );
}

/** The infrastructure's ports on 127.0.0.1 with --expose-infra, from the routes of the edge that runs (none carries them else). */
export async function infraPorts(ctx: SwarmContext, lab: string): Promise<Partial<Record<ComponentName, number>>> {
  const routes = (await edgeRoutes(ctx.engine, lab, true)).slice(1);
  return Object.fromEntries(routes.map((r) => [r.target.split(':')[0], r.hostPort]));
}

export async function instanceDetails(ctx: SwarmContext, lab: SwarmLab, i: SwarmInstance): Promise<InstanceDetails> {
  const task = await currentTask(ctx.swarm, i);
  const container = await localContainerOf(ctx.swarm, task);
  const info = container ? await ctx.engine.inspect(container).catch(() => null) : null;
  const state = task?.Status?.State;
  const engineHealth: Health = state === 'running' ? 'healthy' : state === 'starting' ? 'starting' : 'unknown';
  return {
    pid: info?.State.Pid || null,
    startedAt: info?.State.StartedAt ?? task?.Status?.Timestamp ?? null,
    engineHealth,
    image: info?.Config?.Image,
    address: await addressShown(ctx, lab, i, task, container),
  };
}

/** Where status says an instance is, as host:port when this machine can reach it, else in words. */
async function addressShown(
  ctx: SwarmContext,
  lab: SwarmLab,
  i: SwarmInstance,
  task: SwarmTask | null | undefined,
  container: string | null,
): Promise<string> {
  // The gateway is reached through the edge, on 127.0.0.1 (this machine's, or through the tunnel the manager's).
  if (i.kind === 'gateway' && lab.gatewayUrl) return new URL(lab.gatewayUrl).host;
  if (ctx.remote === null) {
    const ip = container ? await ctx.swarm.bridgeAddress(container) : null;
    if (ip) return `${ip}:${componentFor(i.name).innerPort}`;
  } else {
    // A manager of another machine's gateway bridge is not reachable from here. With --expose-infra
    // the edge publishes the infrastructure on its 127.0.0.1, which the tunnel `status` prints
    // carries to the same port here (see gatewayTunnel).
    const tunnelled = i.kind === 'infra' ? (await infraPorts(ctx, lab.name).catch(() => null))?.[i.name] : undefined;
    if (tunnelled) return `127.0.0.1:${tunnelled}`;
    if (task && task.NodeID === (await ctx.swarm.localState()).nodeId) return `task on ${ctx.remote}`;
  }
  return task ? `task on node ${task.NodeID?.slice(0, 12)}` : '-';
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
