import { appendFileSync, copyFileSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLogSource } from './log-source.js';

const dir = mkdtempSync(join(tmpdir(), 'w2meet-log-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileLogSource', () => {
  it('reads what was written since the mark, also across a cut of the file into FILE.1', async () => {
    const file = join(dir, 'user.log');
    writeFileSync(file, 'before\n');
    const source = fileLogSource({ 'user-service': file });
    const mark = await source.mark();
    appendFileSync(file, 'one\ntwo\n');
    // The service cuts its log as CappedLogFile does: copied to FILE.1, emptied in place.
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    appendFileSync(file, 'three\npartial');
    const lines = (await source.since(mark)).map((l) => l.line);
    expect(lines).toEqual(['one', 'two', 'three']);
    expect((await source.since(await source.mark())).length).toBe(0);
  });

  it('never reads through a link in a log file’s place, nor a sparse file by the size it claims', async () => {
    const secret = join(dir, 'root-only');
    writeFileSync(secret, 'root secret\n');
    const link = join(dir, 'linked.log');
    symlinkSync(secret, link);
    const sparse = join(dir, 'sparse.log');
    writeFileSync(sparse, '');
    const source = fileLogSource({ 'user-service': link, gateway: sparse });
    const mark = await source.mark();
    appendFileSync(secret, 'more secret\n');
    truncateSync(sparse, 8 * 1024 ** 3);
    appendFileSync(sparse, '\nlast\n');
    expect((await source.since(mark)).map((l) => `${l.instance}: ${l.line}`)).toEqual(['gateway: last']);
  });

  it('leaves out what is not a regular file', async () => {
    const source = fileLogSource({ gateway: dir, 'user-service': join(dir, 'missing.log') });
    expect(await source.since(await source.mark())).toEqual([]);
  });
});
