import { randomBytes } from 'node:crypto';
import type { ServiceSpec } from 'dockerode';
import { LABEL_COMPONENT, labLabels } from '../docker/labels.js';
import { runOnEveryNode } from './global-job.js';
import type { SwarmEngine } from './swarm-engine.js';

/** The component label of a settle job: not an instance of the lab (the driver's listing skips it), removed by `down`. */
export const SETTLE_JOB = 'settle-job';

/** How long a stop waits for every node to forget the name. */
const SETTLE_LIMIT_MS = 20_000;

/**
 * A job on the lab's network, one task per node, that ends once the name no longer resolves there
 * (every 0.2 s, 15 s at most). Each node's Engine answers the names of its containers from what
 * the others tell it, and under load one kept resolving a stopped service's name to the old
 * task's address for more than ten seconds: its services then waited out a connect timeout (a
 * 503, where every other node's answered a 502 at once).
 */
export function planSettleJob(lab: string, image: string, network: string, name: string): ServiceSpec {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`not an instance name: ${JSON.stringify(name)}`);
  const labels = { ...labLabels(lab), [LABEL_COMPONENT]: SETTLE_JOB };
  return {
    Name: `w2meet-settle-${randomBytes(6).toString('hex')}`,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Labels: labels,
        // The name is an argument, never part of the script.
        Command: [
          'sh',
          '-c',
          'i=0; while getent hosts "$1" >/dev/null; do i=$((i+1)); [ $i -ge 75 ] && exit 1; sleep 0.2; done',
          'settle',
          name,
        ],
      },
      Networks: [{ Target: network }],
    },
  };
}

/** Waits, best effort, until no node resolves the name; the seconds it took, and the nodes that still did. */
export async function waitNameGoneEverywhere(
  swarm: SwarmEngine,
  lab: string,
  image: string,
  network: string,
  name: string,
  signal: AbortSignal,
): Promise<{ seconds: number; stillResolving: string[] }> {
  const started = performance.now();
  const { failures, timedOut } = await runOnEveryNode(swarm, planSettleJob(lab, image, network, name), {
    limitMs: SETTLE_LIMIT_MS,
    signal,
  });
  return { seconds: (performance.now() - started) / 1000, stillResolving: timedOut ? ['(no answer in time)'] : failures };
}
