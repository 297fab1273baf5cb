import type Docker from 'dockerode';
import { COMPOSE_PROJECT } from '../../src/lab/compose-project/compose-command.js';
import { LABEL_LAB } from '../../src/lab/docker/labels.js';

/** The labs and compose projects the tests make: `w2meet-it`, `w2meet-it-swarm`, `w2meet-cli-it`, … */
export const TEST_LAB_NAME = /^w2meet-(it(-[a-z0-9-]+)?|[a-z0-9-]+-it)$/;

const isTestOwn = (labels: Record<string, string> | undefined) =>
  [labels?.[LABEL_LAB], labels?.[COMPOSE_PROJECT]].some((name) => name !== undefined && TEST_LAB_NAME.test(name));

/**
 * Removes what an earlier test run left when it was killed (containers, networks and volumes of a
 * test lab, by their labels and nothing else), so that the Engine's snapshot before this run is
 * the user's own. Returns what it removed.
 */
export async function removeTestLeftovers(docker: Docker): Promise<string[]> {
  const removed: string[] = [];
  for (const c of await docker.listContainers({ all: true })) {
    if (!isTestOwn(c.Labels)) continue;
    await docker.getContainer(c.Id).remove({ force: true, v: true });
    removed.push(`container ${c.Names.join(',')}`);
  }
  for (const n of await docker.listNetworks()) {
    if (!isTestOwn(n.Labels)) continue;
    await docker.getNetwork(n.Id).remove();
    removed.push(`network ${n.Name}`);
  }
  for (const v of (await docker.listVolumes()).Volumes ?? []) {
    if (!isTestOwn(v.Labels ?? undefined)) continue;
    await docker.getVolume(v.Name).remove();
    removed.push(`volume ${v.Name}`);
  }
  return removed;
}
