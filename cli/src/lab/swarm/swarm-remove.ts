import { setTimeout as sleep } from 'node:timers/promises';
import { LABEL_COMPONENT, LABEL_LAB } from '../docker/labels.js';
import { removeRecord } from '../docker/lab-record.js';
import { LAB_ENTRIES, removeLabEntries } from '../lab-folder.js';
import { EDGE } from './edge.js';
import { SWARM_SERVICE_LABEL } from './scale-to-nothing.js';
import { STOP_WAIT_MS, type SwarmContext } from './swarm-context.js';

/**
 * Removes the lab's swarm objects and only those: its services (and so their tasks), the edge,
 * its secrets and its overlay network. A lab of the same name on Docker (`down` asks every
 * runtime) is left alone: with no service, secret or edge of the lab this does nothing.
 */
export async function removeSwarmLab(ctx: SwarmContext, lab: string, options: { volumes: boolean }): Promise<void> {
  const { swarm, engine } = ctx;
  const services = await swarm.labServices(lab).catch(() => []);
  const edges = await edgesOf(ctx, lab);
  const secrets = await swarm.labSecretNames(lab).catch(() => []);
  const configs = await swarm.labConfigNames(lab).catch(() => []);
  if (!services.length && !edges.length && !secrets.length && !configs.length) return;
  for (const s of services) await swarm.removeService(s.ID).catch(() => {});
  // The tasks' containers go after their services, asynchronously; the network and the volumes
  // they use can only go once they are gone.
  const deadline = Date.now() + STOP_WAIT_MS;
  while (Date.now() < deadline && (await taskContainers(ctx, lab)).length + (await swarm.labTasks(lab).catch(() => [])).length) {
    await sleep(250);
  }
  for (const id of [...edges, ...(await taskContainers(ctx, lab))]) await engine.remove(id).catch(() => {});
  await swarm.removeSecrets(lab);
  await swarm.removeConfigs(lab);
  await swarm.removeOverlays(lab);
  if (options.volumes) await engine.removeVolumes(lab);
  await removeRecord(lab, ctx.options.env);
  if (options.volumes) await removeLabEntries(lab, LAB_ENTRIES.docker, ctx.options.env);
}

/** The lab's edge container (one, or none). */
async function edgesOf(ctx: SwarmContext, lab: string): Promise<string[]> {
  return (await ctx.engine.containersByLabel(`${LABEL_COMPONENT}=${EDGE}`).catch(() => []))
    .filter((c) => c.labels[LABEL_LAB] === lab)
    .map((c) => c.containerId);
}

/** Containers of the lab's tasks: labelled with the lab and made by the swarm. */
async function taskContainers(ctx: SwarmContext, lab: string): Promise<string[]> {
  return (await ctx.engine.containersByLabel(`${LABEL_LAB}=${lab}`).catch(() => []))
    .filter((c) => c.labels[SWARM_SERVICE_LABEL])
    .map((c) => c.containerId);
}
