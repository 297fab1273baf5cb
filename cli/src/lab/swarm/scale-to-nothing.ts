import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineClient } from '../docker/engine-client.js';
import type { SwarmEngine } from './swarm-engine.js';

/** Task states (and desired states) of a task that runs or is on its way to running. */
export const LIVE_TASK = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
/** The label the Engine puts on every container of a service's tasks. */
export const SWARM_SERVICE_LABEL = 'com.docker.swarm.service.id';

/** How long after a scale the Engine may still mean to run a task before the scale is sent again. */
const RESCALE_AFTER_MS = 1000;
const LOOK_EVERY_MS = 200;

type Swarm = Pick<SwarmEngine, 'tasks' | 'scale' | 'replicas'>;
type Engine = Pick<EngineClient, 'containersByLabel'>;

/**
 * Scales a service to 0 and waits until none of its tasks is live and none of its containers runs
 * on this node (paused and restarting count as running); true once so, false at the deadline.
 *
 * Why the scale is sent again: the Engine can leave a task running with `Replicas: 0`. When a task's
 * container ended just before the scale (a stop takes it down first), the restart policy has made a
 * replacement, and the scale's reconciliation can miss it: the replacement starts, turns healthy and
 * runs on until something updates the service again. Seen on Docker 20.10 in 1 stop of 12 (a stopped
 * Postgres answered every query after the "stop"); a second update of the same spec makes the Engine
 * reconcile again and take the task down.
 *
 * Why containers as well as tasks: a task scaled away can leave the Engine's list while its process
 * is still ending (up to its grace period) and serving the connections it holds.
 */
export async function scaleToNothing(swarm: Swarm, engine: Engine, serviceId: string, deadline: number): Promise<boolean> {
  await swarm.scale(serviceId, 0);
  let scaledAt = Date.now();
  for (;;) {
    const tasks = await swarm.tasks(serviceId);
    const containers = await engine.containersByLabel(`${SWARM_SERVICE_LABEL}=${serviceId}`).catch(() => []);
    const live = tasks.some((t) => LIVE_TASK.has(t.Status?.State ?? ''));
    const runs = containers.some((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting');
    if (!live && !runs) return true;
    if (Date.now() >= deadline) return false;
    const meantToRun = tasks.some((t) => LIVE_TASK.has(t.DesiredState ?? ''));
    // Sent again only while the spec still says 0: a start made meanwhile (another command) stands.
    if (meantToRun && Date.now() - scaledAt >= RESCALE_AFTER_MS && (await swarm.replicas(serviceId)) === 0) {
      // A failed update (out of sequence with another) is tried again at the next look.
      await swarm.scale(serviceId, 0).catch(() => {});
      scaledAt = Date.now();
    }
    await sleep(LOOK_EVERY_MS);
  }
}
