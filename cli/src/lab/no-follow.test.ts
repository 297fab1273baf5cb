import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capLogFile } from './cap-log-file.js';
import { readLogs } from './log-files.js';
import { chownFolder, createFresh, readRegularFrom } from './no-follow.js';

// What a lab's user (a container's, the postgres user) can put in a folder root works in.
const root = mkdtempSync(join(tmpdir(), 'w2meet-no-follow-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  return dir;
};
const victim = (dir: string, bytes: number) => {
  const path = join(dir, '..', `victim-${n++}`);
  writeFileSync(path, Buffer.alloc(bytes, 'v'));
  return path;
};
const lines = async (files: string[]) => {
  const out: string[] = [];
  for await (const l of readLogs([{ instance: 'x', files }])) out.push(l.line);
  return out;
};

describe('cutting a log in a folder a lab user writes', () => {
  it('leaves the file a link named gateway.log points to as it was', async () => {
    const dir = folder();
    const target = victim(dir, 3000);
    symlinkSync(target, join(dir, 'gateway.log'));
    expect(await capLogFile(join(dir, 'gateway.log'), 1000)).toBe(false);
    expect(statSync(target).size).toBe(3000);
  });

  it('never writes through a link at gateway.log.1: the copy is a new file of its own', async () => {
    const dir = folder();
    const target = victim(dir, 10);
    writeFileSync(join(dir, 'gateway.log'), 'x'.repeat(3000));
    symlinkSync(target, join(dir, 'gateway.log.1'));
    expect(await capLogFile(join(dir, 'gateway.log'), 1000)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('v'.repeat(10));
    expect(readFileSync(join(dir, 'gateway.log.1'), 'utf8')).toBe('x'.repeat(3000));
    expect(statSync(join(dir, 'gateway.log')).size).toBe(0);
  });

  it('leaves a second name of another file (a hard link) as it was', async () => {
    const dir = folder();
    const target = victim(dir, 3000);
    linkSync(target, join(dir, 'gateway.log'));
    expect(await capLogFile(join(dir, 'gateway.log'), 1000)).toBe(false);
    expect(statSync(target).size).toBe(3000);
  });

  it('does not hang on a FIFO in the log’s place', async () => {
    const dir = folder();
    execFileSync('mkfifo', [join(dir, 'gateway.log')]);
    expect(await capLogFile(join(dir, 'gateway.log'), 1000)).toBe(false);
    expect(await lines([join(dir, 'gateway.log')])).toEqual([]);
  });
});

describe('reading logs in such a folder', () => {
  it('reads nothing through a link, with or without a tail', async () => {
    const dir = folder();
    const target = victim(dir, 0);
    writeFileSync(target, 'root secret\n');
    symlinkSync(target, join(dir, 'user-service.log'));
    expect(await lines([join(dir, 'user-service.log')])).toEqual([]);
    const tail: string[] = [];
    for await (const l of readLogs([{ instance: 'x', files: [join(dir, 'user-service.log')] }], { tail: 5 })) tail.push(l.line);
    expect(tail).toEqual([]);
  });

  it('reads a sparse file of many gigabytes in bounded memory: its last whole lines only', async () => {
    const dir = folder();
    const path = join(dir, 'sparse.log');
    writeFileSync(path, '');
    truncateSync(path, 8 * 1024 ** 3);
    writeFileSync(path, 'first\nlast\n', { flag: 'a' });
    const { text, size } = await readRegularFrom(path, 0, 1024);
    // The zeros before "first" make one line with it, cut at the bound: dropped, as a cut line is.
    expect(text).toBe('last\n');
    expect(size).toBe(8 * 1024 ** 3 + 11);
    // `w2meet logs` on it: a bounded read, not a buffer of the size the file claims.
    expect(await lines([path])).toEqual(['last']);
  });
});

describe('making and giving files and folders to the postgres user', () => {
  it('refuses a link in a folder’s place, naming it, and chowns nothing', async () => {
    const dir = folder();
    const elsewhere = join(root, `elsewhere-${n++}`);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, 'run'));
    await expect(chownFolder(join(dir, 'run'), 4242, 4242)).rejects.toThrow(/run is a symbolic link.*does not follow/);
    expect(statSync(elsewhere).uid).toBe(process.getuid!());
  });

  it('makes a new file where a link was, and leaves the link’s target as it was', async () => {
    const dir = folder();
    const target = victim(dir, 5);
    symlinkSync(target, join(dir, 'pwfile'));
    const file = await createFresh(join(dir, 'pwfile'), 0o600);
    await file.write('secret\n');
    await file.close();
    expect(readFileSync(target, 'utf8')).toBe('vvvvv');
    expect(readFileSync(join(dir, 'pwfile'), 'utf8')).toBe('secret\n');
    expect(statSync(join(dir, 'pwfile')).mode & 0o777).toBe(0o600);
  });
});
