import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CappedLogFile, StartupAndWarnings } from './capped-log-file.js';

const dir = mkdtempSync(join(tmpdir(), 'w2meet-capped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a capped log file', () => {
  it('never grows past its size: the older lines move to FILE.1', async () => {
    const path = join(dir, 'service.log');
    const log = new CappedLogFile(path, 1000);
    for (let i = 0; i < 100; i++) log.write(`{"msg":"line ${String(i).padStart(3, '0')}"}\n`);
    await new Promise<void>((r) => log.end(r));
    expect(statSync(path).size).toBeLessThanOrEqual(1000);
    expect(statSync(`${path}.1`).size).toBeLessThanOrEqual(1000);
    const newest = readFileSync(path, 'utf8').trim().split('\n');
    expect(newest.at(-1)).toBe('{"msg":"line 099"}');
    // The two files hold the most recent lines, in order, with none missing between them.
    const both = [...readFileSync(`${path}.1`, 'utf8').trim().split('\n'), ...newest];
    const numbers = both.map((l) => Number(/line (\d+)/.exec(l)![1]));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
  });

  it('leaves a small log as it is', async () => {
    const path = join(dir, 'small.log');
    const log = new CappedLogFile(path, 10_000);
    log.write('one\n');
    await new Promise<void>((r) => log.end(r));
    expect(readFileSync(path, 'utf8')).toBe('one\n');
    expect(existsSync(`${path}.1`)).toBe(false);
  });
});

describe('start-up and warnings on stdout, everything in the file', () => {
  it('copies every line up to listening, then only warnings and errors', async () => {
    const path = join(dir, 'split.log');
    const seen: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _e, done) {
        seen.push(chunk.toString().trim());
        done();
      },
    });
    const log = new StartupAndWarnings(new CappedLogFile(path, 10_000), out);
    const lines = [
      '{"level":30,"msg":"connecting to redis"}',
      '{"level":30,"msg":"Server listening at http://0.0.0.0:8000"}',
      '{"level":30,"msg":"request completed","case_id":"a"}',
      '{"level":40,"msg":"redis unavailable"}',
      '{"level":50,"msg":"request failed"}',
      '{"level":30,"msg":"request completed","case_id":"b"}',
    ];
    for (const l of lines) log.write(`${l}\n`);
    await new Promise<void>((r) => log.end(r));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toEqual(lines);
    expect(seen).toEqual([lines[0], lines[1], lines[3], lines[4]]);
  });
});
