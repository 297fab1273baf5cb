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
