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

/** An image's tags, `<none>` for none (older Engines list `<none>:<none>`). */
export function tagsOf(image: { RepoTags?: string[] | null }): string[] {
  const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  return tags.length ? tags : ['<none>'];
}

export async function snapshotEngine(docker: Docker): Promise<EngineSnapshot> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; NodeID?: string } };
  const images = await docker.listImages();
  return {
    swarm: `${info.Swarm?.LocalNodeState ?? 'inactive'} ${info.Swarm?.NodeID ?? ''}`.trim(),
    containers: (await docker.listContainers({ all: true })).map((c) => `${c.Id.slice(0, 12)} ${c.Names.join(',')}`).sort(),
    networks: (await docker.listNetworks()).map((n) => `${n.Id.slice(0, 12)} ${n.Name}`).sort(),
    volumes: ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).sort(),
    images: images.flatMap((i) => tagsOf(i).map((t) => `${t} ${i.Id}`)).sort(),
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
