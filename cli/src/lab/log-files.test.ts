import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLogs, readTail } from './log-files.js';

const dir = mkdtempSync(join(tmpdir(), 'w2meet-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading the end of a log', () => {
  const path = join(dir, 'big.log');
  // 200,000 lines, about 6 MB: many chunks.
  const all = Array.from({ length: 200_000 }, (_, i) => `{"time":"t","msg":"line ${i}"}`);
  writeFileSync(path, `${all.join('\n')}\n`);

  it('reads backwards only as far as the lines it needs', async () => {
    const { text, size } = await readTail(path, 10);
    const lines = text.split('\n').filter(Boolean);
    expect(lines.slice(-10)).toEqual(all.slice(-10));
    expect(text.length).toBeLessThan(200 * 1024);
    expect(size).toBe(Buffer.byteLength(`${all.join('\n')}\n`));
  });

  it('gives the whole of a short file, and the tail of logs -n', async () => {
    const short = join(dir, 'short.log');
    writeFileSync(short, 'a\nb\nc\n');
    expect((await readTail(short, 10)).text).toBe('a\nb\nc\n');
    const got: string[] = [];
    for await (const l of readLogs([{ instance: 'x', files: [path] }], { tail: 3 })) got.push(l.line);
    expect(got).toEqual(all.slice(-3));
  });
});

describe('a log cut in two (FILE.1 and FILE)', () => {
  it('takes the tail of the whole, oldest first, and keeps characters split across chunks whole', async () => {
    const file = join(dir, 'cut.log');
    writeFileSync(`${file}.1`, 'old 1\nold 2\n');
    writeFileSync(file, 'new 1\n');
    const got: string[] = [];
    for await (const l of readLogs([{ instance: 'x', files: [`${file}.1`, file] }], { tail: 2 })) got.push(l.line);
    expect(got).toEqual(['old 2', 'new 1']);

    const wide = join(dir, 'wide.log');
    // A four-byte character on every line: some straddle the 64 KiB chunk boundary.
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i} 𝄞`);
    writeFileSync(wide, `${lines.join('\n')}\n`);
    const { text } = await readTail(wide, 15_000);
    expect(text).not.toContain('\uFFFD');
    expect(text.trim().split('\n').slice(-15_000)).toEqual(lines.slice(-15_000));
  });
});
