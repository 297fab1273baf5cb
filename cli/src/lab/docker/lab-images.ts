import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { AbortedError, ImageBuildError, NotBuiltError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { packageRoot } from '../../shared/paths.js';
import { INFRASTRUCTURE, SERVICES, type ComponentName } from '../components/names.js';
import { followProgress, imageExists } from './engine.js';
import { LABEL_IMAGE_HASH, LABEL_IMAGE_ROLE, LABEL_VERSION } from './labels.js';
import { ensureLocalBaseImage } from './local-base-image.js';
import { MIRROR_PREFIX, pullImage, pushAs } from './registry-images.js';
import { OFFICIAL_IMAGES, type ImageFlavour } from './official-images.js';
import { STACK_LOCAL_REPO, STACK_TAG, stackImageName } from '../swarm/stack-images.js';

export { OFFICIAL_IMAGES, type ImageFlavour };

export type ImageMode = 'local' | 'official';

export type ImageRefs = Record<ComponentName, string>;

/** Which flavour an image is, from its label. */
export async function imageFlavour(docker: Docker, ref: string): Promise<ImageFlavour> {
  const info = await docker.getImage(ref).inspect();
  return info.Config?.Labels?.[LABEL_IMAGE_ROLE] === 'local-base' ? 'local' : 'official';
}

function bundleHash(service: string, dockerfile: string, base: string): string {
  const dist = join(packageRoot(), 'dist', 'services');
  const hash = createHash('sha256').update(base).update(dockerfile);
  try {
    hash.update(readFileSync(join(dist, `${service}.cjs`)));
  } catch {
    throw new NotBuiltError(service);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A service image from its Dockerfile, with the built bundle as the whole context; rebuilt only
 * when the bundle, the Dockerfile or the base image changes.
 */
export async function buildServiceImage(docker: Docker, service: string, base: string, onProgress: (l: string) => void): Promise<string> {
  const dockerfile = readFileSync(join(packageRoot(), 'services', 'Dockerfile'), 'utf8');
  const hash = bundleHash(service, dockerfile, base);
  const ref = `w2meet/${service}:${hash}`;
  if (await imageExists(docker, ref)) return ref;
  onProgress(`building ${ref}`);
  const dist = join(packageRoot(), 'dist', 'services');
  try {
    await buildFromContext(docker, dist, service, ref, base, hash);
  } catch (err) {
    throw new ImageBuildError(`building ${ref} failed: ${(err as Error).message}`, `check services/Dockerfile and that ${base} has node`);
  }
  return ref;
}

async function buildFromContext(docker: Docker, dist: string, service: string, ref: string, base: string, hash: string): Promise<void> {
  const stream = await docker.buildImage(
    { context: dist, src: [`${service}.cjs`, `${service}.cjs.map`, 'static', 'service.Dockerfile'] },
    {
      t: ref,
      dockerfile: 'service.Dockerfile',
      buildargs: { BASE_IMAGE: base, SERVICE: service },
      labels: { [LABEL_IMAGE_HASH]: hash, [LABEL_IMAGE_ROLE]: service, [LABEL_VERSION]: VERSION },
      rm: true,
      forcerm: true,
    },
  );
  await followProgress(docker, stream);
}

/** Every image a lab needs, by component, built or pulled as the mode says. */
export async function buildLabImages(
  docker: Docker,
  mode: ImageMode,
  onProgress: (l: string) => void,
  options: { registry?: string; signal?: AbortSignal; force?: boolean } = {},
): Promise<ImageRefs> {
  const { registry, signal } = options;
  const checkAbort = () => {
    if (signal?.aborted) throw new AbortedError('interrupted while building the images');
  };
  let infra: Record<string, string>;
  let nodeBase: string;
  if (mode === 'local') {
    const { ref, built } = await ensureLocalBaseImage(docker, onProgress, { signal, force: options.force });
    onProgress(built ? `built ${ref}` : `reusing ${ref}`);
    infra = Object.fromEntries([...INFRASTRUCTURE, 'gateway'].map((n) => [n, ref]));
    nodeBase = ref;
  } else {
    const pulled: Record<string, string> = {};
    for (const [role, ref] of Object.entries(OFFICIAL_IMAGES)) {
      checkAbort();
      pulled[role] = await pullImage(docker, ref, registry, onProgress);
    }
    infra = { postgres: pulled.postgres!, redis: pulled.redis!, rabbitmq: pulled.rabbitmq!, gateway: pulled.gateway! };
    nodeBase = pulled.node!;
  }
  const services: Record<string, string> = {};
  for (const s of SERVICES) {
    checkAbort();
    services[s] = await buildServiceImage(docker, s, nodeBase, onProgress);
  }
  checkAbort();
  return { ...infra, ...services } as ImageRefs;
}

/**
 * The stack file's names for the images just built (see swarm/stack-images.ts): `docker stack
 * deploy` of compose/docker-stack.yml runs these. A later build moves them, as `latest` does.
 */
export async function tagStackImages(docker: Docker, refs: ImageRefs): Promise<string[]> {
  const tagged = new Set<string>();
  for (const [component, ref] of Object.entries(refs) as Array<[ComponentName, string]>) {
    const repo = `${STACK_LOCAL_REPO}/${stackImageName(component)}`;
    await docker.getImage(ref).tag({ repo, tag: STACK_TAG });
    tagged.add(`${repo}:${STACK_TAG}`);
  }
  return [...tagged];
}

/** The stack's images this Engine has (tagged by `images build`), by their name under a registry (`w2meet/<name>:latest`). */
async function stackImagesHere(docker: Docker): Promise<Array<{ local: string; inRegistry: string }>> {
  const names = new Set([...INFRASTRUCTURE, ...SERVICES].map((n) => `${stackImageName(n)}:${STACK_TAG}`));
  const here: Array<{ local: string; inRegistry: string }> = [];
  for (const name of names)
    if (await imageExists(docker, `${STACK_LOCAL_REPO}/${name}`))
      here.push({ local: `${STACK_LOCAL_REPO}/${name}`, inRegistry: `w2meet/${name}` });
  return here;
}

/**
 * Fills a registry with the locally built image under every official name, so machines without
 * Docker Hub can `up --images official --registry HOST:PORT` from it, and with the stack file's
 * images where this Engine has them.
 */
export async function pushLocalImages(docker: Docker, registry: string, onProgress: (l: string) => void): Promise<string[]> {
  const { ref } = await ensureLocalBaseImage(docker, onProgress);
  const pushed: string[] = [];
  for (const name of Object.values(OFFICIAL_IMAGES))
    pushed.push((await pushAs(docker, ref, `${registry}/${name}`, registry, onProgress)).target);
  // And the stack file's images, where `images build` tagged them: every node of a swarm pulls them from there.
  const stack = await stackImagesHere(docker);
  if (!stack.length) onProgress("no stack images here (`w2meet images build` tags them): compose/docker-stack.yml's are not pushed");
  for (const { local, inRegistry } of stack)
    pushed.push((await pushAs(docker, local, `${registry}/${inRegistry}`, registry, onProgress)).target);
  return pushed;
}

export interface ImageRow {
  ref: string;
  role: string;
  sizeMb: number;
  created: string;
}

/** w2meet's images: those it built (labelled) and those it pulled from a mirror (named w2meet/mirror/…). */
async function labImages(docker: Docker): Promise<Docker.ImageInfo[]> {
  const all = await docker.listImages();
  return all.filter((i) => i.Labels?.[LABEL_IMAGE_ROLE] || (i.RepoTags ?? []).some((t) => t.startsWith(MIRROR_PREFIX)));
}

export async function listLabImages(docker: Docker): Promise<ImageRow[]> {
  const images = await labImages(docker);
  return images.flatMap((i) =>
    (i.RepoTags ?? ['<none>']).map((ref) => ({
      ref,
      role: i.Labels?.[LABEL_IMAGE_ROLE] ?? (ref.startsWith(MIRROR_PREFIX) ? 'mirror' : ''),
      sizeMb: i.Size / 1e6,
      created: new Date(i.Created * 1000).toISOString(),
    })),
  );
}

/** Removes w2meet's images that no container (running or not) uses. */
/** A name w2meet gave: `w2meet/…`, or `localhost/w2meet/…` (the swarm's and the stack's, see swarm/swarm-images.ts). */
const ownName = (tag: string) => tag.startsWith('w2meet/') || tag.startsWith('localhost/w2meet/');

export async function pruneLabImages(docker: Docker): Promise<string[]> {
  const used = new Set((await docker.listContainers({ all: true })).map((c) => c.ImageID));
  const removed: string[] = [];
  for (const image of await labImages(docker)) {
    if (used.has(image.Id)) continue;
    // An image both built and pulled under another name (a pushed local base) loses only w2meet's names.
    const others = (image.RepoTags ?? []).filter((t) => !ownName(t) && t !== '<none>:<none>');
    if (others.length) {
      for (const t of (image.RepoTags ?? []).filter(ownName))
        await docker
          .getImage(t)
          .remove({ noprune: true })
          .catch(() => {});
      removed.push(...(image.RepoTags ?? []).filter(ownName));
      continue;
    }
    await docker.getImage(image.Id).remove({ force: true });
    removed.push(...(image.RepoTags ?? [image.Id]));
  }
  return removed;
}
