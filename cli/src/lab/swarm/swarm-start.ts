import { setTimeout as sleep } from 'node:timers/promises';
import type { Running } from '../lifecycle/driver.js';
import { FatalProbeError } from '../wait/probes.js';
import type { SwarmInstance } from './service-plan.js';
import { newestFirst } from './swarm-context.js';
import type { SwarmEngine, SwarmTask } from './swarm-engine.js';

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

/** Whether a start is still before its task's process: made, placed, or on its way (a pending one the Engine cannot place, with an error, is not). */
export function stillPreparing(newest: SwarmTask): boolean {
  const state = newest.Status?.State ?? '';
  if (state === 'pending' && newest.Status?.Err) return false;
  return PREPARING_TASK.has(state);
}

/** Scales the instance's service to its one task, and says how to tell that the task will never run. */
export async function startTask(swarm: SwarmEngine, i: SwarmInstance): Promise<Running> {
  const since = new Date().toISOString();
  await swarm.scale(i.serviceId!, 1);
  return {
    // A task the Engine rejects (no such image on the node it chose) will not start however long
    // one waits; nor will one whose tasks keep failing as they start (the Engine starts another
    // each time): after the third, the wait ends with the last one's error.
    exited: async () => {
      const tasks = await swarm.tasks(i.serviceId!);
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
        const tasks = await swarm.tasks(i.serviceId!);
        const recent = tasks.filter((t) => (t.CreatedAt ?? '') >= since);
        // A task rejected since is for exited() to report.
        if (recent.some((t) => t.Status?.State === 'rejected') || signal.aborted) return;
        // The newest task made since; none when the service ran one already (a start after a kill
        // the Engine had made good): then the one meant to run.
        const newest = newestFirst(recent.length ? recent : tasks.filter((t) => t.DesiredState === 'running'))[0];
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
