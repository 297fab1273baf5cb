import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, W2meetError } from '../../errors.js';
import { importTree, packageCounter } from './local-base-image.js';
import { mountsUnder, unmountUnder } from './tree-mounts.js';

describe("the first image build's progress", () => {
  it("counts debootstrap's package lines per phase and says every Nth, with the time taken", () => {
    const said: string[] = [];
    let t = 0;
    const take = packageCounter(
      (l) => said.push(l),
      2,
      () => t,
    );
    expect(take('I: Retrieving InRelease')).toBe(false);
    t = 5000;
    for (const name of ['adduser', 'apt', 'base-files']) expect(take(`I: Retrieving ${name} 3.134`)).toBe(true);
    expect(take('I: Extracting adduser...')).toBe(true);
    expect(take('I: Base system installed successfully.')).toBe(false);
    expect(said).toEqual(['debootstrap: retrieving package 2 (5 s)']);
  });
});

describe('unmounting inside the image tree', () => {
  const root = '/var/tmp/w2meet-rootfs-abc123';
  const line = (mountPoint: string, type = 'proc') => `${type} ${mountPoint} ${type} rw,nosuid 0 0`;

  it('finds the mounts at or under the tree, deepest first, and none of a sibling sharing its prefix', () => {
    const mounts = [
      line('/proc'),
      line(`${root}/proc`),
      line(`${root}/sys`, 'sysfs'),
      line(`${root}/proc/sys/fs/binfmt_misc`, 'binfmt_misc'),
      line(`${root}0/proc`),
      line(`${root}/dev/pts`, 'devpts'),
      line(`${root}/dev/pts`, 'devpts'),
      line(`${root}/with\\040space`, 'tmpfs'),
    ].join('\n');
    expect(mountsUnder(`${root}/`, mounts)).toEqual([
      `${root}/with space`,
      `${root}/sys`,
      `${root}/proc/sys/fs/binfmt_misc`,
      `${root}/proc`,
      `${root}/dev/pts`,
      `${root}/dev/pts`,
    ]);
  });

  it('waits for each umount, deepest first, and tolerates one that fails with nothing left mounted', async () => {
    let mounted = [`${root}/proc`, `${root}/dev/pts`, `${root}/dev/pts`];
    const calls: string[][] = [];
    await unmountUnder(root, {
      readMounts: () => mounted.map((m) => line(m)).join('\n'),
      run: async (command, args) => {
        calls.push([command, ...args]);
        const at = mounted.indexOf(args[1]!);
        // The second umount of the stacked devpts: both went with the first.
        if (at < 0) throw new W2meetError('IMAGE_BUILD', 'umount failed (exit 32):\numount: not mounted');
        mounted = args[1] === `${root}/dev/pts` ? mounted.filter((m) => m !== args[1]) : mounted.filter((_, i) => i !== at);
        return '';
      },
    });
    expect(calls).toEqual([
      ['umount', '-l', `${root}/proc`],
      ['umount', '-l', `${root}/dev/pts`],
      ['umount', '-l', `${root}/dev/pts`],
    ]);
    expect(mounted).toEqual([]);
  });

  it('a mount that stays is an error naming it and what umount said, so the tree is not removed through it', async () => {
    const err = await unmountUnder(root, {
      readMounts: () => line(`${root}/dev`, 'devtmpfs'),
      run: async () => {
        throw new W2meetError('IMAGE_BUILD', 'umount failed (exit 32):\numount: target is busy');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(W2meetError);
    expect((err as W2meetError).code).toBe('IMAGE_BUILD');
    expect((err as W2meetError).message).toBe(
      `still mounted inside the image tree: ${root}/dev\numount failed (exit 32):\numount: target is busy`,
    );
    expect((err as W2meetError).hint).toContain(`then remove ${root}`);
  });

  it('runs the real umount and reads the real /proc/mounts: a tree with nothing mounted needs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-rootfs-'));
    try {
      await expect(unmountUnder(dir)).resolves.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('streaming the tree into the image import', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'w2meet-tree-'));
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', 'hostname'), 'lab\n');
    mkdirSync(join(dir, 'proc'));
    writeFileSync(join(dir, 'proc', 'left-over'), 'not in the image\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Reads the whole archive, as Docker's import does, and lists its entries with tar itself. */
  async function listArchive(archive: Readable): Promise<string[]> {
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    const listed = execFileSync('tar', ['-t'], { input: Buffer.concat(chunks), stdio: ['pipe', 'pipe', 'pipe'] }).toString();
    return listed.split('\n').filter(Boolean).sort();
  }

  it('gives the import the whole tree but /proc, /sys and /dev', async () => {
    let entries: string[] = [];
    await importTree(dir, async (archive) => {
      entries = await listArchive(archive);
    });
    expect(entries).toEqual(['./', './etc/', './etc/hostname']);
  });

  it("fails with tar's exit code and stderr when tar fails, even though the import took what it was given", async () => {
    const err = await importTree(join(dir, 'missing'), async (archive) => {
      await listArchive(archive).catch(() => []);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(W2meetError);
    expect((err as W2meetError).code).toBe('IMAGE_BUILD');
    expect((err as W2meetError).message).toMatch(/^tar failed \(exit 2\):\n.*missing.*No such file or directory/s);
  });

  it('an import that fails without reading ends tar instead of leaving it blocked, and its own error is the one thrown', async () => {
    // Larger than the pipe and stream buffers, so tar blocks on its write until ended.
    writeFileSync(join(dir, 'etc', 'big'), Buffer.alloc(8 * 1024 * 1024, 1));
    const started = Date.now();
    const err = await importTree(dir, async () => {
      await new Promise((r) => setTimeout(r, 100));
      throw new Error('the Engine refused the import');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('the Engine refused the import');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an abort ends tar and rejects with AbortedError', async () => {
    writeFileSync(join(dir, 'etc', 'big'), Buffer.alloc(8 * 1024 * 1024, 1));
    const controller = new AbortController();
    const err = await importTree(
      dir,
      async (archive) => {
        // A slow import: the abort comes while tar is blocked on its pipe.
        await new Promise((r) => setTimeout(r, 100));
        controller.abort();
        for await (const chunk of archive) void chunk;
      },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
  });
});
