import type Docker from 'dockerode';
import type { ImageSource } from '../docker/create-docker-lab.js';
import { labImageSource } from '../docker/image-source.js';
import { MIRROR_PREFIX, pushAs, type ImageMode, type ImageRefs } from '../docker/lab-images.js';
import { SERVICES, type ComponentName } from '../spec.js';

/**
 * The images of a swarm lab. Every node runs its tasks from its own Engine's images, so a name
 * only this Engine has (`w2meet/user-service:<hash>`, a mirror's `w2meet/mirror/…`) cannot start
 * on another node. With a registry every node reaches, the services' specs name images there:
 * the infrastructure by the registry's own names (the lab just pulled them), the services built
 * here and pushed next to them. Without one, the images are this Engine's, as on Docker (one node,
 * or nodes given the same images by hand: `docker save | docker load`).
 */
export function swarmImageSource(docker: Docker, mode: ImageMode, registry?: string): ImageSource {
  const local = labImageSource(docker, mode, registry);
  if (!registry) return local;
  return async (context) => {
    const { images, flavours } = await local(context);
    const progress = (line: string) => context.progress({ type: 'info', message: line });
    const shared: Partial<ImageRefs> = {};
    for (const [component, ref] of Object.entries(images) as Array<[ComponentName, string]>) {
      if ((SERVICES as readonly string[]).includes(component)) {
        const { target, digest } = await pushAs(docker, ref, `${registry}/${ref}`, registry, progress, true);
        shared[component] = pinned(target, digest);
      } else {
        const name = registryName(ref, registry);
        shared[component] = pinned(name, await registryDigest(docker, ref, name));
      }
    }
    return { images: shared as ImageRefs, flavours };
  };
}

/**
 * `name:tag@digest`: every node runs exactly the image pushed, whatever the tag names by then (a
 * registry without TLS or login can be written to by others, and the fault jobs run the services'
 * image as root). The tag stays for people to read; the Engine goes by the digest.
 */
export function pinned(name: string, digest: string): string {
  return digest ? `${name}@${digest}` : name;
}

/** The digest the registry gave an image this Engine pulled from it as `name` (kept here under `ref`), or empty. */
async function registryDigest(docker: Docker, ref: string, name: string): Promise<string> {
  const repo = name.slice(0, name.lastIndexOf(':'));
  const digests = ((await docker.getImage(ref).inspect()) as { RepoDigests?: string[] }).RepoDigests ?? [];
  return digests.find((d) => d.startsWith(`${repo}@`))?.slice(repo.length + 1) ?? '';
}

/** The registry's name of an image pulled from it (kept here as `w2meet/mirror/<name>`). */
export function registryName(ref: string, registry: string): string {
  return `${registry}/${ref.startsWith(MIRROR_PREFIX) ? ref.slice(MIRROR_PREFIX.length) : ref}`;
}
