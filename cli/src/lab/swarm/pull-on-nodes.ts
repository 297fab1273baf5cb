import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceSpec } from 'dockerode';
import { LabStartError } from '../../errors.js';
import { LABEL_COMPONENT, labLabels } from '../docker/labels.js';
import type { SwarmEngine, SwarmNode, SwarmTask } from './swarm-engine.js';

/** The component label of a pull job: not an instance of the lab (the driver's listing skips it), removed by `down`. */
export const PULL_JOB = 'pull-job';

/** How long every node may take to get every image (the base image is some hundreds of MB). */
const PULL_LIMIT_MS = 10 * 60_000;
const ENDED = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

/**
 * A job that gets one image onto every node: a task on each (global mode) that runs `true` from
 * it, once. The Engine pulls a task's image before it starts it, so once every task has ended, every
 * node has the image (pulled from the registry, or found there already).
 */
export function planPullJob(lab: string, image: string): ServiceSpec {
  const labels = { ...labLabels(lab), [LABEL_COMPONENT]: PULL_JOB };
  return {
    Name: `w2meet-pull-${randomBytes(6).toString('hex')}`,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: { Image: image, Labels: labels, Command: ['true'] },
      RestartPolicy: { Condition: 'none' },
    },
  };
}

/** Whether every node that can run the job has ended its task, and the nodes whose task ended otherwise than complete. */
export function pullOutcome(tasks: SwarmTask[], nodes: SwarmNode[]): { done: boolean; failures: string[] } {
  const eligible = nodes.filter((n) => n.state === 'ready' && n.availability === 'active');
  const byNode = new Map(tasks.map((t) => [t.NodeID ?? '', t]));
  const ended = eligible.every((n) => ENDED.has(byNode.get(n.id)?.Status?.State ?? ''));
  const failures = eligible
    .map((n) => ({ n, t: byNode.get(n.id) }))
    .filter(({ t }) => t && ENDED.has(t.Status?.State ?? '') && t.Status?.State !== 'complete')
    .map(({ n, t }) => `${n.hostname}: ${t!.Status?.State}${t!.Status?.Err ? ` (${t!.Status.Err})` : ''}`);
  return { done: ended, failures };
}

/**
 * Gets every image onto every node before the lab starts, so no start waits on a pull (the first
 * one on a new node took longer than a service's start-up limit) and a node that cannot get an
 * image says so at once, by name, instead of a start that times out.
 */
export async function pullOnEveryNode(swarm: SwarmEngine, lab: string, images: string[], signal: AbortSignal): Promise<void> {
  const jobs: string[] = [];
  try {
    for (const image of [...new Set(images)]) jobs.push(await swarm.createGlobalService(planPullJob(lab, image)));
    const deadline = Date.now() + PULL_LIMIT_MS;
    const pending = new Map(jobs.map((id, n) => [id, [...new Set(images)][n]!]));
    while (pending.size) {
      if (signal.aborted) return;
      const nodes = await swarm.nodes();
      for (const [id, image] of pending) {
        const { done, failures } = pullOutcome(await swarm.tasks(id), nodes);
        if (failures.length)
          throw new LabStartError(
            `not every node could get ${image}: ${failures.join('; ')}`,
            'give every node the images: bring the lab up with --registry HOST:PORT (a registry every node reaches by that name; without TLS, listed in each node\'s "insecure-registries"), or copy them there (docker save | docker load)',
          );
        if (done) pending.delete(id);
      }
      if (Date.now() >= deadline)
        throw new LabStartError(
          `the nodes had not got ${[...pending.values()].join(', ')} after ${PULL_LIMIT_MS / 60_000} min`,
          '`docker service ps --no-trunc` on the w2meet-pull-… services says where it stands',
        );
      await sleep(500);
    }
  } finally {
    for (const id of jobs) await swarm.removeService(id).catch(() => {});
  }
}
