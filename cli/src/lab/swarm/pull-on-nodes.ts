import { randomBytes } from 'node:crypto';
import type { ServiceSpec } from 'dockerode';
import { LabStartError } from '../../errors.js';
import { LABEL_COMPONENT, labLabels } from '../docker/labels.js';
import { runOnEveryNode } from './global-job.js';
import type { SwarmEngine } from './swarm-engine.js';

/** The component label of a pull job: not an instance of the lab (the driver's listing skips it), removed by `down`. */
export const PULL_JOB = 'pull-job';

/** How long every node may take to get every image (the base image is some hundreds of MB). */
const PULL_LIMIT_MS = 10 * 60_000;

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
    TaskTemplate: { ContainerSpec: { Image: image, Labels: labels, Command: ['true'] } },
  };
}

/**
 * Gets every image onto every node before the lab starts, so no start waits on a pull (the first
 * one on a new node took longer than a service's start-up limit) and a node that cannot get an
 * image says so at once, by name, instead of a start that times out.
 */
export async function pullOnEveryNode(swarm: SwarmEngine, lab: string, images: string[], signal: AbortSignal): Promise<void> {
  const outcomes = await Promise.all(
    [...new Set(images)].map(async (image) => ({
      image,
      ...(await runOnEveryNode(swarm, planPullJob(lab, image), { limitMs: PULL_LIMIT_MS, signal })),
    })),
  );
  const failed = outcomes.filter((o) => o.failures.length);
  if (failed.length)
    throw new LabStartError(
      `not every node could get the lab's images: ${failed.map((o) => `${o.image} on ${o.failures.join('; ')}`).join('; ')}`,
      'give every node the images: bring the lab up with --registry HOST:PORT (a registry every node reaches by that name; without TLS, listed in each node\'s "insecure-registries"), or copy them there (docker save | docker load)',
    );
  const late = outcomes.filter((o) => o.timedOut);
  if (late.length)
    throw new LabStartError(
      `the nodes had not got ${late.map((o) => o.image).join(', ')} after ${PULL_LIMIT_MS / 60_000} min`,
      "is the registry slow, or a node busy? `docker node ls` and `docker service ps` on the lab's services say where they stand",
    );
}
