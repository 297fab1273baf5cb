import type Docker from 'dockerode';
import type { ImageSource } from '../docker/create-docker-lab.js';
import { labImageSource } from '../docker/image-source.js';
import { followProgress } from '../docker/engine.js';
import type { ImageMode, ImageRefs } from '../docker/lab-images.js';
import { MIRROR_PREFIX, pushAs } from '../docker/registry-images.js';
import { SERVICES, type ComponentName } from '../spec.js';

/**
 * The images of a swarm lab. Every node runs its tasks from its own Engine's images, so a name
 * only this Engine has (`w2meet/user-service:<hash>`, a mirror's `w2meet/mirror/…`) cannot start
 * on another node. With a registry every node reaches, the services' specs name images there:
 * the infrastructure by the registry's own names (the lab just pulled them), the services built
 * here and pushed next to them. Without one, the images are this Engine's (one node, or nodes
 * given the same images by hand: `docker save | docker load`), named under `localhost/`.
 */
export function swarmImageSource(docker: Docker, mode: ImageMode, registry?: string): ImageSource {
  const local = labImageSource(docker, mode, registry);
  if (!registry)
    return async (context) => {
      const { images, flavours } = await local(context);
      const named: Partial<ImageRefs> = {};
      for (const [component, ref] of Object.entries(images) as Array<[ComponentName, string]>) {
        named[component] = localName(ref);
        if (named[component] !== ref) {
          const at = named[component]!.lastIndexOf(':');
          await docker.getImage(ref).tag({ repo: named[component]!.slice(0, at), tag: named[component]!.slice(at + 1) });
        }
      }
      return { images: named as ImageRefs, flavours };
    };
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
        shared[component] = pinned(name, await registryDigest(docker, name));
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

/**
 * The digest the registry gives `name` (an image the lab just pulled from it, kept here under
 * w2meet's mirror name): pulled again by that name, which moves no layer and says the digest.
 */
async function registryDigest(docker: Docker, name: string): Promise<string> {
  let digest = '';
  await followProgress(docker, await docker.pull(name), (m) => {
    const said = /^Digest: (sha256:[0-9a-f]{64})$/.exec(String(m.status ?? ''));
    if (said) digest = said[1]!;
  });
  return digest;
}

/** The registry's name of an image pulled from it (kept here as `w2meet/mirror/<name>`). */
export function registryName(ref: string, registry: string): string {
  return `${registry}/${ref.startsWith(MIRROR_PREFIX) ? ref.slice(MIRROR_PREFIX.length) : ref}`;
}

/**
 * The name a swarm task runs one of w2meet's own images by: under `localhost/`. The Engine tries to
 * pull a task's image by its tag before it starts it, and a bare `w2meet/…` is a Docker Hub name,
 * where whoever holds the `w2meet` account would choose what runs (with the lab's secrets);
 * `localhost` is this machine. Official images keep their names: those are meant to be pulled.
 */
export function localName(ref: string): string {
  return ref.startsWith('w2meet/') ? `localhost/${ref}` : ref;
}
