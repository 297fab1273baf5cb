import { randomBytes } from 'node:crypto';
import type { ServiceSpec } from 'dockerode';
import { LABEL_COMPONENT, labLabels } from '../docker/labels.js';
import { runOnEveryNode } from './global-job.js';
import type { SwarmEngine } from './swarm-engine.js';

/** The component label of a settle job: not an instance of the lab (the driver's listing skips it), removed by `down`. */
export const SETTLE_JOB = 'settle-job';

/** How long a stop waits for every node to forget the name, and a start for every node to reach it. */
const SETTLE_LIMIT_MS = 20_000;

/**
 * A job on the lab's network, one task per node, that ends once the name no longer resolves there
 * (every 0.2 s, 15 s at most). Each node's Engine answers the names of its containers from what
 * the others tell it, and under load one kept resolving a stopped service's name to the old
 * task's address for more than ten seconds: its services then waited out a connect timeout (a
 * 503, where every other node's answered a 502 at once).
 */
export function planSettleJob(lab: string, image: string, network: string, name: string, reachPort?: number): ServiceSpec {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`not an instance name: ${JSON.stringify(name)}`);
  if (reachPort !== undefined && !Number.isInteger(reachPort)) throw new Error(`not a port: ${reachPort}`);
  const labels = { ...labLabels(lab), [LABEL_COMPONENT]: SETTLE_JOB };
  return {
    Name: `w2meet-settle-${randomBytes(6).toString('hex')}`,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Labels: labels,
        // The name (and port) are arguments, never part of the script.
        Command: reachPort === undefined ? ['sh', '-c', GONE, 'settle', name] : ['bash', '-c', REACHED, 'settle', name, String(reachPort)],
      },
      Networks: [{ Target: network }],
    },
  };
}

/**
 * Until the name no longer resolves (a stop), or until a TCP connection to it opens (a start): every
 * 0.2 s, 15 s at most. After a start, a node whose Engine has not yet heard of the new task (its
 * address, or the tunnel to the node it is on) drops the connection attempts of its services, which
 * wait out their connect timeout: a 503 a second later, where a 502 was expected (two-node runs).
 * Each attempt is cut off after a second: a dropped one would wait minutes. So is each lookup: the
 * Engine passes a name it no longer knows to the host's resolvers, which on a machine without
 * one answer nothing for many seconds (a stop on one node took 20 s): no answer is no address.
 */
const GONE = 'i=0; while timeout 1 getent hosts "$1" >/dev/null; do i=$((i+1)); [ $i -ge 75 ] && exit 1; sleep 0.2; done';
const REACHED =
  'i=0; until timeout 1 bash -c \'exec 3<>"/dev/tcp/$0/$1"\' "$1" "$2" 2>/dev/null; do i=$((i+1)); [ $i -ge 75 ] && exit 1; sleep 0.2; done';

/** Where the lab's instance is: its lab, the image a job runs (one every node has), its network, its name. */
export interface SettleTarget {
  lab: string;
  image: string;
  network: string;
  name: string;
}

/** Waits, best effort, until every node reaches the instance at its port; the seconds it took, and the nodes that did not. */
export function waitReachableEverywhere(swarm: SwarmEngine, target: SettleTarget, port: number, signal: AbortSignal) {
  return settle(swarm, planSettleJob(target.lab, target.image, target.network, target.name, port), signal);
}

/** Waits, best effort, until no node resolves the name; the seconds it took, and the nodes that still did. */
export function waitNameGoneEverywhere(swarm: SwarmEngine, target: SettleTarget, signal: AbortSignal) {
  return settle(swarm, planSettleJob(target.lab, target.image, target.network, target.name), signal);
}

async function settle(swarm: SwarmEngine, job: ServiceSpec, signal: AbortSignal): Promise<{ seconds: number; unsettled: string[] }> {
  const started = performance.now();
  const { failures, timedOut } = await runOnEveryNode(swarm, job, { limitMs: SETTLE_LIMIT_MS, signal });
  return { seconds: (performance.now() - started) / 1000, unsettled: timedOut ? ['(no answer in time)'] : failures };
}
