import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerLabLogs } from './docker-logs.js';
import { FakeEngine } from '../../testing/fake-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'w2meet-docker-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(source: AsyncIterable<{ instance: string; line: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of source) out.push(`${l.instance}: ${l.line}`);
  return out;
}

describe('dockerLabLogs', () => {
  it("merges each instance's request log file with its container's own log, and filters by Case-ID", async () => {
    const engine = new FakeEngine();
    const user = await engine.create({ Labels: { 'dev.w2meet.instance': 'user-service' } });
    const redis = await engine.create({ Labels: { 'dev.w2meet.instance': 'redis' } });
    const file = join(dir, 'user-service.log');
    writeFileSync(
      file,
      '{"time":"2026-11-29T05:00:01.000Z","msg":"request completed","case_id":"a"}\n{"time":"2026-11-29T05:00:02.000Z","msg":"request completed","case_id":"b"}\n',
    );
    const targets = [
      { id: 'user-service', containerId: user, files: [`${file}.1`, file] },
      { id: 'redis', containerId: redis, files: [] },
    ];
    const all = await lines(dockerLabLogs(engine, targets, {}));
    expect(all).toContain('user-service: log of user-service');
    expect(all).toContain('redis: log of redis');
    expect(all.filter((l) => l.includes('request completed'))).toHaveLength(2);
    expect(await lines(dockerLabLogs(engine, targets, { caseId: 'b' }))).toEqual([
      'user-service: {"time":"2026-11-29T05:00:02.000Z","msg":"request completed","case_id":"b"}',
    ]);
    // A tail counts per instance, over both of its logs.
    const tail = await lines(dockerLabLogs(engine, targets, { tail: 1 }));
    expect(tail.filter((l) => l.startsWith('user-service:'))).toHaveLength(1);
    expect(tail.filter((l) => l.startsWith('redis:'))).toHaveLength(1);
  });
});
