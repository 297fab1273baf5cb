import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceSpec } from 'dockerode';
import { FaultError, FaultJobError } from '../../errors.js';
import { LABEL_COMPONENT, labLabels } from '../docker/labels.js';
import type { SwarmEngine, SwarmTask } from './swarm-engine.js';

/** The component label of a fault job: not an instance of the lab (the driver's listing skips it), removed by `down`. */
export const FAULT_JOB = 'fault-job';

export type ContainerVerb = 'kill' | 'pause' | 'unpause' | 'stop';

/** The Engine API call for each verb; a stop gives the process the time a stop on this node gives it. */
const PATHS = (graceSeconds: number): Record<ContainerVerb, string> => ({
  kill: 'kill?signal=SIGKILL',
  pause: 'pause',
  unpause: 'unpause',
  stop: `stop?t=${graceSeconds}`,
});

/** How long a fault job may take, from being placed to having ended (a stop's grace included). */
const JOB_TIMEOUT_MS = 45_000;

/**
 * One call to the Engine of the node the job runs on, through its socket, in a few lines of the
 * Node the services' image has: exit 0 on the Engine's 2xx, else its answer on stderr and exit 1.
 */
const CALL = `const r = require('node:http').request({ socketPath: '/var/run/docker.sock', method: 'POST', path: process.env.W2MEET_CALL }, (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => { if (res.statusCode >= 300) console.error(res.statusCode, body.trim()); process.exit(res.statusCode < 300 ? 0 : 1); });
});
r.on('error', (e) => { console.error(e.message); process.exit(2); });
r.end();`;

/**
 * A task of another node is out of reach of the Engine w2meet talks to: a manager's API reaches
 * services and tasks everywhere, a container only on its own node. So kill, pause, unpause and the
 * stop before a scale to 0 run there: a one-off task placed on that node, with its Engine's socket mounted, makes the one call
 * and ends, and is removed. It carries the lab's label, so `down` removes one an interrupted run
 * left behind.
 */
export function planFaultJob(
  lab: string,
  image: string,
  nodeId: string,
  containerId: string,
  verb: ContainerVerb,
  graceSeconds = 10,
): ServiceSpec {
  // Both come from the Engine's task list; checked anyway, as they reach a root process's request.
  if (!/^[0-9a-f]{64}$/.test(containerId)) throw new FaultError(`not a container id: ${JSON.stringify(containerId)}`);
  if (!/^[a-z0-9]+$/.test(nodeId)) throw new FaultError(`not a node id: ${JSON.stringify(nodeId)}`);
  const labels = { ...labLabels(lab), [LABEL_COMPONENT]: FAULT_JOB };
  return {
    // Short whatever the lab's name (the Engine takes 63 characters): the labels say whose it is.
    Name: `w2meet-fj-${verb}-${randomBytes(6).toString('hex')}`,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Labels: labels,
        Command: ['node', '-e', CALL],
        // The services' image runs as an unprivileged user; the Engine's socket is root's.
        User: 'root',
        // NODE_OPTIONS emptied: nothing from the image's environment runs in a root process beside the call.
        Env: [`W2MEET_CALL=/containers/${containerId}/${PATHS(graceSeconds)[verb]}`, 'NODE_OPTIONS='],
        Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' }],
      },
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: [`node.id==${nodeId}`] },
    },
    Mode: { Replicated: { Replicas: 1 } },
  };
}

const ENDED = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

/** Runs a fault job to its end and removes it; a job that failed or took too long is a clear error. */
export async function runFaultJob(
  swarm: SwarmEngine,
  spec: ServiceSpec,
  what: string,
  readLog: (serviceId: string) => Promise<string>,
): Promise<void> {
  const id = await swarm.createService(spec, 1);
  try {
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    let task: SwarmTask | undefined;
    while (Date.now() < deadline) {
      task = (await swarm.tasks(id))[0];
      if (task && ENDED.has(task.Status?.State ?? '')) break;
      await sleep(100);
    }
    const state = task?.Status?.State ?? 'not placed';
    if (state === 'complete') return;
    const log = ENDED.has(state) ? (await readLog(id).catch(() => '')).trim() : '';
    const container = spec.TaskTemplate && 'ContainerSpec' in spec.TaskTemplate ? spec.TaskTemplate.ContainerSpec : undefined;
    const ended = ENDED.has(state);
    throw new FaultJobError(
      ended
        ? `${what} on its node did not happen: the one-off task that does it ended ${state}${task?.Status?.Err ? ` (${task.Status.Err})` : ''}${log ? `: ${log}` : ''}`
        : `${what} on its node: the one-off task that does it was still ${state} after ${JOB_TIMEOUT_MS / 1000} s (it may yet happen)`,
      faultJobHint(state, task?.Status?.Err ?? '', container?.Image ?? "the services' image"),
      ended,
    );
  } finally {
    await swarm.removeService(id).catch(() => {});
  }
}

/** What to do when a fault job did not happen, from how its task ended. */
export function faultJobHint(state: string, err: string, image: string): string {
  if (/no such image|image .*not found|pull access denied|manifest unknown/i.test(err))
    return `that node has no ${image}: bring the lab up with --registry HOST:PORT (every node pulls from it), or copy the image there (docker save ${image} | docker load)`;
  if (
    state === 'not placed' ||
    state === 'pending' ||
    state === 'new' ||
    state === 'assigned' ||
    state === 'accepted' ||
    state === 'preparing'
  )
    return 'no node ran the job in 45 s: is that node ready and active? `docker node ls` says; a node drained or down runs nothing';
  if (state === 'failed') return "the node's Engine refused the call (its answer is above): `w2meet status` shows the task as it is now";
  return '`docker node ls` and `w2meet status` show the node and the task as they are now';
}

/**
 * Runs a fault job and keeps the service's paused label (what `state` reads for a task it cannot
 * inspect) true to what may have happened: a pause is recorded before its job runs and forgotten
 * only when its job surely failed, so a pause that ran out of time (and may yet have frozen the
 * task) is still undone by an unpause; an unpause that ended, done or refused, clears it, as does
 * any other verb that completed.
 */
export async function withPausedLabel(
  verb: ContainerVerb,
  container: string,
  setLabel: (value: string | null) => Promise<void>,
  run: () => Promise<void>,
): Promise<void> {
  if (verb === 'pause') await setLabel(container);
  try {
    await run();
  } catch (err) {
    // A pause that surely failed did not freeze it; an unpause that ended refused ("not paused":
    // the pause that ran out of time never happened) leaves nothing to undo either.
    if (err instanceof FaultJobError && err.ended && verb !== 'kill' && verb !== 'stop') await setLabel(null).catch(() => {});
    throw err;
  }
  if (verb !== 'pause') await setLabel(null);
}
