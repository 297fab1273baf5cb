import type Docker from 'dockerode';
import { ImagePullError, ImagePushError } from '../../errors.js';
import { followProgress, imageExists } from './engine.js';

/**
 * Where an image pulled from a mirror is kept: under w2meet's own name, never the official one. A
 * mirror (a classroom registry, plain HTTP) serves whatever was pushed to it, and tagging that as
 * `postgres:16-bookworm` replaced the host's real images for every other program.
 */
export const MIRROR_PREFIX = 'w2meet/mirror/';

export function mirroredName(ref: string): string {
  return `${MIRROR_PREFIX}${ref}`;
}

/**
 * Pulls an image unless it is there, and returns the name to run it by: the official name from
 * the default registry, w2meet's own name (`w2meet/mirror/…`) from a mirror. A tag of the mirror's
 * name that was here before is the host's: it is used as it is, never pulled over (which would move
 * it) nor removed; one the pull added is removed again.
 */
export async function pullImage(
  docker: Docker,
  ref: string,
  registry: string | undefined,
  onProgress: (l: string) => void,
): Promise<string> {
  if (!registry && (await imageExists(docker, ref))) return ref;
  const from = registry ? `${registry}/${ref}` : ref;
  const hostsOwn = registry !== undefined && (await imageExists(docker, from));
  if (hostsOwn) onProgress(`using ${from}, which this machine has already (not pulled over)`);
  else await pullFrom(docker, from, registry, onProgress);
  if (!registry) return ref;
  const mirrored = mirroredName(ref);
  const [repo, tag] = mirrored.split(':');
  await docker.getImage(from).tag({ repo: repo!, tag: tag! });
  if (!hostsOwn)
    await docker
      .getImage(from)
      .remove({ noprune: true })
      .catch(() => {});
  return mirrored;
}

async function pullFrom(docker: Docker, from: string, registry: string | undefined, onProgress: (l: string) => void): Promise<void> {
  onProgress(`pulling ${from}`);
  try {
    const stream = await docker.pull(from);
    await followProgress(docker, stream, (m) => {
      if (m.status === 'Pull complete' || m.status === `Downloaded newer image for ${from}`) onProgress(`${from}: ${m.status}`);
    });
  } catch (err) {
    throw new ImagePullError(
      `cannot pull ${from}: ${(err as Error).message}`,
      registry
        ? `is a registry listening at ${registry}?`
        : "no registry answers here: use --images local to build the images from Debian's packages",
    );
  }
}

/**
 * Pushes `source` as `target` (`registry/repo:tag`); resolves with the digest the registry gave it
 * (empty if it said none). The tag is added for the push and removed after, unless `keepTag` (a
 * swarm lab's own images, which this node runs by that name). A tag of that name the host had
 * before is never moved or removed: one naming another image is refused.
 */
export async function pushAs(
  docker: Docker,
  source: string,
  target: string,
  registry: string,
  onProgress: (l: string) => void,
  keepTag = false,
): Promise<{ target: string; digest: string }> {
  let digest = '';
  const at = target.lastIndexOf(':');
  const before = await imageId(docker, target);
  if (before !== null && before !== (await imageId(docker, source)))
    throw new ImagePushError(
      `${target} is a tag of another image on this machine: w2meet does not move it`,
      `remove or rename that tag yourself (docker image rm ${target}), or push to another registry`,
    );
  if (before === null) await docker.getImage(source).tag({ repo: target.slice(0, at), tag: target.slice(at + 1) });
  onProgress(`pushing ${target}`);
  try {
    // A registry without authentication still wants the header; an empty auth config is sent.
    await followProgress(docker, await docker.getImage(target).push({ authconfig: { serveraddress: registry } }), (m) => {
      const aux = m.aux as { Digest?: string } | undefined;
      if (aux?.Digest) digest = aux.Digest;
    });
  } catch (err) {
    throw new ImagePushError(`cannot push ${target}: ${(err as Error).message}`, `is a registry listening at ${registry}?`);
  } finally {
    if (!keepTag && before === null)
      await docker
        .getImage(target)
        .remove({ noprune: true })
        .catch(() => {});
  }
  return { target, digest };
}

async function imageId(docker: Docker, ref: string): Promise<string | null> {
  try {
    return ((await docker.getImage(ref).inspect()) as { Id: string }).Id;
  } catch {
    return null;
  }
}
