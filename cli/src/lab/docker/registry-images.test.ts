import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { pullImage, pushAs } from './registry-images.js';

/** An Engine's images as tags to ids, recording tag, untag, pull and push; a pull of `from` adds it as `pulled`. */
function engine(tags: Record<string, string>) {
  const done: string[] = [];
  const progress = (stream: unknown) => stream;
  const docker = {
    modem: { followProgress: (_s: unknown, end: (err: unknown, output: unknown[]) => void) => end(null, []) },
    getImage: (ref: string) => ({
      inspect: async () => {
        if (!(ref in tags)) throw new Error('no such image');
        return { Id: tags[ref] };
      },
      tag: async ({ repo, tag }: { repo: string; tag: string }) => {
        done.push(`tag ${ref} as ${repo}:${tag}`);
        tags[`${repo}:${tag}`] = tags[ref]!;
      },
      remove: async () => {
        done.push(`remove ${ref}`);
        delete tags[ref];
      },
      push: async () => {
        done.push(`push ${ref}`);
        return progress({});
      },
    }),
    pull: async (ref: string) => {
      done.push(`pull ${ref}`);
      tags[ref] = 'pulled';
      return progress({});
    },
  };
  return { docker: docker as unknown as Docker, done, tags };
}
const quiet = () => {};

describe('pushing to a registry', () => {
  it('adds the tag for the push and removes it after', async () => {
    const { docker, done } = engine({ 'w2meet/local-base:x': 'sha:base' });
    await pushAs(docker, 'w2meet/local-base:x', 'reg:5000/postgres:16-bookworm', 'reg:5000', quiet);
    expect(done).toEqual([
      'tag w2meet/local-base:x as reg:5000/postgres:16-bookworm',
      'push reg:5000/postgres:16-bookworm',
      'remove reg:5000/postgres:16-bookworm',
    ]);
  });

  it('refuses a tag of that name the host has for another image, and moves nothing', async () => {
    const { docker, done, tags } = engine({ 'w2meet/local-base:x': 'sha:base', 'reg:5000/postgres:16-bookworm': 'sha:theirs' });
    await expect(pushAs(docker, 'w2meet/local-base:x', 'reg:5000/postgres:16-bookworm', 'reg:5000', quiet)).rejects.toThrow(
      /is a tag of another image on this machine: w2meet does not move it/,
    );
    expect(done).toEqual([]);
    expect(tags['reg:5000/postgres:16-bookworm']).toBe('sha:theirs');
  });

  it('pushes through a tag the host already had for the same image, and leaves it', async () => {
    const { docker, done } = engine({ 'w2meet/local-base:x': 'sha:base', 'reg:5000/postgres:16-bookworm': 'sha:base' });
    await pushAs(docker, 'w2meet/local-base:x', 'reg:5000/postgres:16-bookworm', 'reg:5000', quiet);
    expect(done).toEqual(['push reg:5000/postgres:16-bookworm']);
  });
});

describe('pulling from a mirror', () => {
  it("keeps it under w2meet's own name and removes the mirror's tag the pull added", async () => {
    const { docker, done } = engine({});
    expect(await pullImage(docker, 'postgres:16-bookworm', 'reg:5000', quiet)).toBe('w2meet/mirror/postgres:16-bookworm');
    expect(done).toEqual([
      'pull reg:5000/postgres:16-bookworm',
      'tag reg:5000/postgres:16-bookworm as w2meet/mirror/postgres:16-bookworm',
      'remove reg:5000/postgres:16-bookworm',
    ]);
  });

  it('uses a mirror tag the host had as it is: never pulled over, never removed', async () => {
    const { docker, done, tags } = engine({ 'reg:5000/postgres:16-bookworm': 'sha:hosts' });
    expect(await pullImage(docker, 'postgres:16-bookworm', 'reg:5000', quiet)).toBe('w2meet/mirror/postgres:16-bookworm');
    expect(done).toEqual(['tag reg:5000/postgres:16-bookworm as w2meet/mirror/postgres:16-bookworm']);
    expect(tags['reg:5000/postgres:16-bookworm']).toBe('sha:hosts');
  });
});
