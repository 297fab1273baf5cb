import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureLabDir, LAB_ENTRIES, removeLabEntries } from './lab-folder.js';

let root: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'w2meet-state-'));
  env = { W2MEET_STATE_DIR: root };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function fill(dir: string, entries: readonly string[]) {
  for (const e of entries) {
    if (e.endsWith('.json')) writeFileSync(join(dir, e), '{}');
    else mkdirSync(join(dir, e, 'inside'), { recursive: true });
  }
}

describe("a lab's folder", () => {
  it('is never emptied when w2meet did not make it', async () => {
    const dir = join(root, 'photos');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'state.json'), '{}');
    expect(await removeLabEntries('photos', LAB_ENTRIES.process, env)).toBe(false);
    expect(existsSync(join(dir, 'logs'))).toBe(true);
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
  });

  it('loses only the entries w2meet writes; a file of someone else keeps the folder', async () => {
    const dir = await ensureLabDir('class-1', env);
    fill(dir, LAB_ENTRIES.process);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(await removeLabEntries('class-1', LAB_ENTRIES.process, env)).toBe(true);
    for (const e of LAB_ENTRIES.process) expect(existsSync(join(dir, e)), e).toBe(false);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });

  it("keeps the other runtime's record, and goes once both are gone", async () => {
    const dir = await ensureLabDir('class-2', env);
    fill(dir, [...LAB_ENTRIES.process, ...LAB_ENTRIES.docker]);
    await removeLabEntries('class-2', LAB_ENTRIES.process, env);
    expect(existsSync(join(dir, 'docker.json'))).toBe(true);
    await removeLabEntries('class-2', LAB_ENTRIES.docker, env);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(root)).toBe(true);
  });

  it('lets other users pass through to their data (Postgres runs as its own user), not list it', async () => {
    const dir = await ensureLabDir('class-3', env);
    expect(statSync(dir).mode & 0o777).toBe(0o711);
  });

  it('never adopts a folder w2meet did not make (W2MEET_STATE_DIR=/var --lab lib)', async () => {
    const lib = join(root, 'lib');
    mkdirSync(join(lib, 'redis'), { recursive: true });
    await expect(ensureLabDir('lib', env)).rejects.toThrow(/holds files w2meet did not make/);
    expect(existsSync(join(lib, '.w2meet-lab'))).toBe(false);
    symlinkSync(lib, join(root, 'linked'));
    await expect(ensureLabDir('linked', env)).rejects.toThrow(/symbolic link/);
    // An empty folder, or one w2meet marked before, is taken.
    mkdirSync(join(root, 'empty'));
    await expect(ensureLabDir('empty', env)).resolves.toBe(join(root, 'empty'));
    await expect(ensureLabDir('empty', env)).resolves.toBe(join(root, 'empty'));
  });

  it('refuses a name that would lead outside the state folder', async () => {
    for (const bad of ['..', '', '.', 'a/../..'])
      await expect(removeLabEntries(bad, LAB_ENTRIES.process, env)).rejects.toThrow(/not a lab name/);
  });
});
