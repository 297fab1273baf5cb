import type Docker from 'dockerode';
import { serviceLogLines } from '../docker/container-logs.js';
import type { ImageSource } from '../docker/create-docker-lab.js';
import type { EngineClient } from '../docker/engine-client.js';
import type { ImageMode } from '../docker/lab-images.js';
import type { DriverLab } from '../lifecycle/driver.js';
import type { InstanceState } from '../runtime.js';
import { LIVE_TASK } from './scale-to-nothing.js';
import type { SwarmInstance } from './service-plan.js';
import type { SwarmEngine, SwarmTask } from './swarm-engine.js';

export type SwarmLab = DriverLab<SwarmInstance>;

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

/** What the swarm driver's parts share: its Engine clients, its options, and the manager's host when it is another machine's. */
export interface SwarmContext {
  swarm: SwarmEngine;
  engine: EngineClient;
  options: SwarmDriverOptions;
  /** See SwarmDriver.remote. */
  remote: string | null;
}

/** How long a stop waits for the Engine to take the task down: its grace period and a margin. */
export const STOP_WAIT_MS = 20_000;
export const STOP_GRACE_S = 10;

/** On a service whose task of another node a fault job paused: that task's container id. */
export const LABEL_PAUSED = 'dev.w2meet.paused';

/** Reads a swarm service's log where the Engine API reads a container's: the manager gathers every node's. */
export function serviceLogReader(docker: Docker): EngineClient['logLines'] {
  return (serviceId, options) => serviceLogLines(docker, serviceId, options);
}

export const newestFirst = (tasks: SwarmTask[]) => [...tasks].sort((a, b) => (b.CreatedAt ?? '').localeCompare(a.CreatedAt ?? ''));

/** The task the Engine means to run now (the newest one meant to run), else the newest. */
export async function currentTask(swarm: SwarmEngine, i: SwarmInstance): Promise<SwarmTask | null> {
  const tasks = newestFirst(await swarm.tasks(i.serviceId!));
  return tasks.find((t) => t.DesiredState === 'running') ?? tasks[0] ?? null;
}

/** The container of a task when it is live and runs on this node, else null. */
export async function localContainerOf(swarm: SwarmEngine, task: SwarmTask | null): Promise<string | null> {
  const id = task?.Status?.ContainerStatus?.ContainerID;
  if (!task || !id || !LIVE_TASK.has(task.Status?.State ?? '')) return null;
  return task.NodeID === (await swarm.localState()).nodeId ? id : null;
}

/** The services' image: it has Node and a shell, and is on every node a service runs on. */
export function servicesImage(lab: SwarmLab, i: SwarmInstance): string | undefined {
  return [i, ...lab.instances]
    .filter((x) => x.kind === 'service')
    .map((x) => (x.service.TaskTemplate as { ContainerSpec?: { Image?: string } }).ContainerSpec?.Image)
    .find(Boolean);
}

/** Where the instance stands, from its current task (and, for one of this node, its container). */
export async function instanceState(ctx: SwarmContext, i: SwarmInstance): Promise<InstanceState> {
  const task = await currentTask(ctx.swarm, i);
  if (task?.DesiredState !== 'running') {
    // Scaled to 0 (stopped), or between a task that ended and the one replacing it.
    return (await ctx.swarm.replicas(i.serviceId!)) === 0 ? 'stopped' : 'exited';
  }
  if (!LIVE_TASK.has(task.Status?.State ?? '')) return 'exited';
  const container = await localContainerOf(ctx.swarm, task);
  if (container) return (await ctx.engine.inspect(container).catch(() => null))?.State.Paused ? 'paused' : 'running';
  // A task of another node cannot be inspected from here: its service says which container was
  // paused through a fault job (a task that replaced it since is not paused).
  const paused = (await ctx.swarm.serviceLabels(i.serviceId!).catch(() => ({}) as Record<string, string>))[LABEL_PAUSED];
  return paused && paused === task.Status?.ContainerStatus?.ContainerID ? 'paused' : 'running';
}
