import type Docker from 'dockerode';

/**
 * What a test run may not change on the Engine it found: its swarm state, containers, networks,
 * volumes, and images with their tags. Taken before the Docker suites and again after them.
 */
export interface EngineSnapshot {
  swarm: string;
  containers: string[];
  networks: string[];
  volumes: string[];
  /** `tag id` for every tag, `<none> id` for an image without one. */
  images: string[];
}

/** The label w2meet's own images carry (lab-images.ts): what the tests built, and may remove. */
const W2MEET_IMAGE = 'dev.w2meet.image-role';

export async function snapshotEngine(docker: Docker): Promise<EngineSnapshot> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; NodeID?: string } };
  const images = await docker.listImages();
  return {
    swarm: `${info.Swarm?.LocalNodeState ?? 'inactive'} ${info.Swarm?.NodeID ?? ''}`.trim(),
    containers: (await docker.listContainers({ all: true })).map((c) => `${c.Id.slice(0, 12)} ${c.Names.join(',')}`).sort(),
    networks: (await docker.listNetworks()).map((n) => `${n.Id.slice(0, 12)} ${n.Name}`).sort(),
    volumes: ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).sort(),
    images: images.flatMap((i) => (i.RepoTags?.length ? i.RepoTags : ['<none>']).map((t) => `${t} ${i.Id}`)).sort(),
  };
}

/** Every difference between two snapshots, one line each: `added container …`, `removed image …`. */
export function engineDifferences(before: EngineSnapshot, after: EngineSnapshot): string[] {
  const out: string[] = [];
  if (before.swarm !== after.swarm) out.push(`swarm state was "${before.swarm}", is "${after.swarm}"`);
  for (const kind of ['containers', 'networks', 'volumes', 'images'] as const) {
    const was = new Set(before[kind]);
    const is = new Set(after[kind]);
    const singular = kind.slice(0, -1);
    for (const item of after[kind]) if (!was.has(item)) out.push(`added ${singular} ${item}`);
    for (const item of before[kind]) if (!is.has(item)) out.push(`removed ${singular} ${item}`);
  }
  return out;
}

/**
 * Removes the tags the run added to w2meet's own images (its label says so), and the images that
 * are left with none: what the tests built on an Engine that did not have it. Returns what it removed.
 */
export async function removeAddedW2meetImages(docker: Docker, before: EngineSnapshot): Promise<string[]> {
  const had = new Set(before.images);
  const removed: string[] = [];
  for (const image of await docker.listImages()) {
    if (!image.Labels?.[W2MEET_IMAGE]) continue;
    const tags = image.RepoTags?.length ? image.RepoTags : ['<none>'];
    const added = tags.filter((t) => !had.has(`${t} ${image.Id}`));
    if (added.length === 0) continue;
    // Untagging what was added leaves an image that was there before as it was.
    for (const tag of added.filter((t) => t !== '<none>')) {
      await docker.getImage(tag).remove({ noprune: false });
      removed.push(tag);
    }
    if (added.length === tags.length && tags.includes('<none>')) {
      await docker.getImage(image.Id).remove({ force: true });
      removed.push(image.Id);
    }
  }
  return removed;
}
