import type Docker from 'dockerode';
import { LABEL_IMAGE_ROLE } from '../../src/lab/docker/labels.js';
import { type EngineSnapshot, tagsOf } from './engine-snapshot.js';

/** `repo:tag` split where the tag begins (a registry's host:port may come before it). */
function splitRef(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? { repo: ref.slice(0, at), tag: ref.slice(at + 1) } : { repo: ref, tag: 'latest' };
}

/**
 * Puts the Engine's images back as they were before the run, as far as w2meet's own are concerned:
 * a tag the run moved (`images build` moves `:latest`) points again at the image it named, tags
 * the run added to w2meet's images go, and w2meet's images the run made are removed. An image the
 * Engine had before is never removed. Returns what it did, and what it could not do.
 */
export async function restoreW2meetImages(docker: Docker, before: EngineSnapshot): Promise<string[]> {
  const done: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      done.push(what);
      return true;
    } catch (err) {
      done.push(`could not ${what}: ${(err as Error).message.split('\n')[0]}`);
      return false;
    }
  };
  const had = before.images.map((line) => ({ tag: line.slice(0, line.lastIndexOf(' ')), id: line.slice(line.lastIndexOf(' ') + 1) }));
  const hadIds = new Set(had.map((h) => h.id));
  const hadLines = new Set(before.images);
  let images = await docker.listImages();
  for (const { tag, id } of had) {
    if (tag === '<none>' || !images.some((i) => i.Id === id)) continue;
    if (images.find((i) => tagsOf(i).includes(tag))?.Id === id) continue;
    await attempt(`tag ${tag} back on ${id.slice(7, 19)}`, () => docker.getImage(id).tag(splitRef(tag)));
  }
  images = await docker.listImages();
  for (const image of images.filter((i) => hadIds.has(i.Id) && i.Labels?.[LABEL_IMAGE_ROLE]))
    for (const tag of tagsOf(image).filter((t) => t !== '<none>' && !hadLines.has(`${t} ${image.Id}`)))
      await attempt(`untag ${tag}`, () => docker.getImage(tag).remove());
  // Made by the run: children before their parents, so a few passes remove a chain of builds.
  let left = images.filter((i) => !hadIds.has(i.Id) && i.Labels?.[LABEL_IMAGE_ROLE]);
  for (let pass = 0; pass < 4 && left.length; pass++) {
    const failed: typeof left = [];
    for (const image of left)
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .then(
          () => done.push(`remove ${tagsOf(image).join(', ')} (${image.Id.slice(7, 19)})`),
          () => failed.push(image),
        );
    left = failed;
  }
  for (const image of left) done.push(`could not remove ${tagsOf(image).join(', ')} (${image.Id.slice(7, 19)})`);
  return done;
}
