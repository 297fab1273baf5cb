import type Docker from 'dockerode';
import { UsageError } from '../../errors.js';
import { LABEL_COMPONENT, LABEL_LAB } from '../docker/labels.js';
import { EDGE } from './edge.js';
import { SwarmEngine } from './swarm-engine.js';
import { SWARM_SERVICE_LABEL } from './scale-to-nothing.js';
import { foreignSwarmObjects } from './foreign-swarm-objects.js';
import { forgetSwarmMade, madeThisSwarm, rememberSwarmMade } from './swarm-made-record.js';

/** What `swarm init` or `swarm leave` did, in words for stderr. */
export type MembershipOutcome = { changed: boolean; message: string };

/**
 * Labs of the Docker runtime with a container running on this Engine. Making or leaving a swarm
 * rewires the Engine's networking (the gateway bridge, the ingress network and their firewall
 * rules); in a test run a Docker lab already running on the Engine lost the connections between
 * its containers when that happened, so both are refused while one runs.
 */
async function runningDockerLabs(docker: Docker): Promise<string[]> {
  const containers = await docker.listContainers({ filters: { label: [LABEL_LAB], status: ['running', 'paused', 'restarting'] } });
  // A swarm lab's task containers and its edge (a plain container) are the swarm's, not a Docker lab's.
  const labs = containers
    .filter((c) => !c.Labels[SWARM_SERVICE_LABEL] && c.Labels[LABEL_COMPONENT] !== EDGE)
    .map((c) => c.Labels[LABEL_LAB] ?? '');
  return [...new Set(labs)].sort();
}

async function refuseWhileDockerLabsRun(docker: Docker, doing: string): Promise<void> {
  const labs = await runningDockerLabs(docker);
  if (!labs.length) return;
  throw new UsageError(
    `the Docker lab ${labs.join(', ')} runs on this Engine, and ${doing} rewires the Engine's networks (a running lab lost the connections between its containers when it did)`,
    `take it down first (its data stays): w2meet down --lab ${labs[0]}, then ${doing}, then w2meet up again`,
  );
}

/** `w2meet swarm init`: this Engine as the manager of a swarm of its own. */
export async function initSwarm(docker: Docker, advertise: string, env: NodeJS.ProcessEnv = process.env): Promise<MembershipOutcome> {
  const engine = new SwarmEngine(docker);
  const before = await engine.localState();
  if (before.state === 'active')
    return {
      changed: false,
      message: `the Engine is already a ${before.manager ? 'manager' : 'worker'} of a swarm of ${before.nodes} node(s)`,
    };
  await refuseWhileDockerLabsRun(docker, 'making a swarm');
  await engine.init(advertise);
  // Its id, so that `swarm leave` leaves this swarm and never one w2meet did not make.
  await rememberSwarmMade((await docker.swarmInspect()).ID, env);
  return {
    changed: true,
    message: `swarm made: this Engine is its manager, at ${advertise}:2377\nbring the lab up on it: w2meet up --runtime swarm`,
  };
}

/**
 * `w2meet swarm leave`: undoes what `initSwarm` made, and nothing larger: only the swarm it made
 * (by id), and only while nothing but w2meet's is on it (leaving removes every service, secret,
 * config and overlay network of a one-node swarm).
 */
export async function leaveSwarm(docker: Docker, env: NodeJS.ProcessEnv = process.env): Promise<MembershipOutcome> {
  const engine = new SwarmEngine(docker);
  const local = await engine.localState();
  if (local.state !== 'active') return { changed: false, message: 'the Engine is in no swarm: nothing to leave' };
  // Only the one-node swarm `swarm init` makes: leaving a cluster's manager can cost it its quorum.
  if (!local.manager || local.nodes > 1)
    throw new UsageError(
      `this Engine is one of ${local.nodes} nodes of its swarm${local.manager ? '' : ' (a worker)'}, which w2meet did not make`,
      'leave it with `docker swarm leave` yourself, knowing what it does to the cluster',
    );
  const clusterId = (await docker.swarmInspect()).ID as string;
  if (!(await madeThisSwarm(clusterId, env)))
    throw new UsageError(
      `this Engine's swarm (${clusterId}) was not made by \`w2meet swarm init\`: w2meet leaves only a swarm it made`,
      'leave it yourself if you mean to (`docker swarm leave --force` removes every service, secret, config and network on it)',
    );
  const foreign = await foreignSwarmObjects(docker);
  if (foreign.length)
    throw new UsageError(
      `the swarm holds what w2meet did not make, which leaving it would remove: ${foreign.join(', ')}`,
      'remove them yourself first if you mean to, or leave the swarm as it is',
    );
  const services = (await docker.listServices({ filters: { label: [LABEL_LAB] } })) as Array<{
    Spec?: { Labels?: Record<string, string> };
  }>;
  const labs = [...new Set(services.map((s) => s.Spec?.Labels?.[LABEL_LAB]))];
  if (labs.length) throw new UsageError(`lab ${labs.join(', ')} runs on this swarm`, `take it down first: w2meet down --lab ${labs[0]}`);
  await refuseWhileDockerLabsRun(docker, 'leaving the swarm');
  await engine.leave();
  await forgetSwarmMade(env);
  return { changed: true, message: 'the Engine left its swarm' };
}
