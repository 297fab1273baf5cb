import { describe, expect, it } from 'vitest';
import { splitLines } from './split-lines.js';

async function all(chunks: Array<Buffer | string>, maxLine?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of splitLines(
    (async function* () {
      yield* chunks;
    })(),
    maxLine,
  ))
    out.push(line);
  return out;
}

describe('splitting a log stream into lines', () => {
  it('joins a line across chunks, skips empty ones, keeps the unfinished last one', async () => {
    expect(await all(['a\nb', 'c\n\nd', 'e'])).toEqual(['a', 'bc', 'de']);
  });

  it('decodes a character split across two chunks whole', async () => {
    const bytes = Buffer.from('café\n');
    expect(await all([bytes.subarray(0, 4), bytes.subarray(4)])).toEqual(['café']);
  });

  it('cuts a line longer than the bound and goes on with the next', async () => {
    expect(await all(['x'.repeat(10), 'y'.repeat(10), '\nnext\n'], 15)).toEqual(['x'.repeat(10) + 'y'.repeat(5), 'next']);
  });

  it('reads a 64 MB line without a newline, in 64 KB chunks, in bounded time and memory', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'z');
    const chunks = Array.from({ length: 1024 }, () => chunk);
    const started = performance.now();
    const lines = await all([...chunks, Buffer.from('\nend\n')]);
    expect(lines.map((l) => l.length)).toEqual([1024 * 1024, 3]);
    // Joined again at every chunk, as before, this took minutes; what is checked here is the cut.
    console.log(`64 MB line split in ${(performance.now() - started).toFixed(0)} ms`);
  });
});
