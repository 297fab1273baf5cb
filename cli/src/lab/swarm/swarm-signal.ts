import { FaultError } from '../../errors.js';
import { componentFor } from '../components/catalogue.js';
import { networkName } from '../docker/container-plan.js';
import { containerLogTail } from '../docker/docker-logs.js';
import type { InstanceSignal } from '../lifecycle/driver.js';
import { waitNameGoneEverywhere, waitReachableEverywhere } from './name-settle.js';
import { type ContainerVerb, planFaultJob, runFaultJob, withPausedLabel } from './remote-fault.js';
import { LIVE_TASK, scaleToNothing } from './scale-to-nothing.js';
import { serviceName, type SwarmInstance } from './service-plan.js';
import {
  currentTask,
  instanceState,
  LABEL_PAUSED,
  localContainerOf,
  STOP_GRACE_S,
  STOP_WAIT_MS,
  type SwarmContext,
  type SwarmLab,
  serviceLogReader,
  servicesImage,
} from './swarm-context.js';

/** A fault verb on an instance: on its container when its task runs on this node, else through a one-off job on its node. */
export async function signalInstance(ctx: SwarmContext, lab: SwarmLab, i: SwarmInstance, signal: InstanceSignal): Promise<void> {
  const { swarm, engine } = ctx;
  const container = await localContainerOf(swarm, await currentTask(swarm, i));
  switch (signal) {
    case 'stop': {
      // A paused task cannot take its stop signal: it is let go first.
      if (container && (await engine.inspect(container).catch(() => null))?.State.Paused) await engine.unpause(container);
      // Stopped here first, on its network, as on Docker: a task the Engine scales away is taken
      // off the network before its process ends, so what it says as it ends (Postgres closing its
      // connections) never reaches the others, whose next query then waits out its timeout.
      if (container) await engine.stop(container, STOP_GRACE_S).catch(() => {});
      else if ((await currentTask(swarm, i))?.Status?.State === 'running') {
        if ((await instanceState(ctx, i)) === 'paused') await onItsNode(ctx, lab, i, 'unpause').catch(() => {});
        await onItsNode(ctx, lab, i, 'stop').catch(() => {});
      }
      if (!(await scaleToNothing(swarm, engine, i.serviceId!, Date.now() + STOP_WAIT_MS))) {
        // Left at 0 with a task running, the service would look running to `start` (which would
        // then do nothing) and lose that task at its next update: it is set back to what runs.
        await swarm.scale(i.serviceId!, 1).catch(() => {});
        throw new FaultError(
          `${i.id}: still runs ${STOP_WAIT_MS / 1000} s after its stop: the Engine did not take its task down, so it was left running`,
          `see \`docker service ps ${serviceName(lab.name, i.id)}\`, then stop it again`,
        );
      }
      // The stop is over once no node still resolves its name (see name-settle.ts): on one node
      // too, a name kept its old task's address for seconds, and a start then gave it two.
      const image = servicesImage(lab, i);
      if (image)
        await waitNameGoneEverywhere(
          swarm,
          { lab: lab.name, image, network: networkName(lab.name), name: i.id },
          new AbortController().signal,
        );
      return;
    }
    case 'kill':
      // The Engine sees its task fail and starts another: killing a task is how Swarm is tested.
      if (!container) return onItsNode(ctx, lab, i, 'kill');
      return engine.kill(container);
    case 'pause':
      if (!container) return onItsNode(ctx, lab, i, 'pause');
      return engine.pause(container);
    case 'unpause':
      if (!container) return onItsNode(ctx, lab, i, 'unpause');
      return engine.unpause(container);
  }
}

/** A start is over once every node reaches it (see name-settle.ts), one node included: until then a name may still lead to the old task. */
export async function settleInstance(ctx: SwarmContext, lab: SwarmLab, i: SwarmInstance): Promise<void> {
  const image = servicesImage(lab, i);
  if (!image) return;
  const target = { lab: lab.name, image, network: networkName(lab.name), name: i.id };
  await waitReachableEverywhere(ctx.swarm, target, componentFor(i.name).innerPort, new AbortController().signal);
}

/** kill, pause or unpause on a task of another node, by a one-off task on that node (see remote-fault.ts). */
async function onItsNode(ctx: SwarmContext, lab: SwarmLab, i: SwarmInstance, verb: ContainerVerb): Promise<void> {
  const { swarm } = ctx;
  const task = await currentTask(swarm, i);
  const container = task?.Status?.ContainerStatus?.ContainerID;
  if (!task?.NodeID || !container || !LIVE_TASK.has(task.Status?.State ?? ''))
    throw new FaultError(`${i.id}: no task of it runs, so there is nothing to ${verb}`, `see \`w2meet status --lab ${lab.name}\``);
  const image = servicesImage(lab, i);
  if (!image) throw new FaultError(`${i.id}: no image of the lab's services to run the ${verb} with`);
  const readLog = async (serviceId: string) => containerLogTail({ logLines: serviceLogReader(swarm.docker) }, serviceId, 5);
  const job = planFaultJob(lab.name, image, task.NodeID, container, verb, STOP_GRACE_S);
  await withPausedLabel(
    verb,
    container,
    (value) => swarm.setServiceLabel(i.serviceId!, LABEL_PAUSED, value),
    () => runFaultJob(swarm, job, `${verb} ${i.id}`, readLog),
  );
}
