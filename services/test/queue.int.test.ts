import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, fault, http, testLab, uniqueEmail } from '../../cli/test/test-lab.js';
import { CompletionListener } from '../../cli/src/scenarios/completion-listener.js';

const lab = testLab();
const g = lab.gatewayUrl;
const a = uniqueEmail('qa');
const b = uniqueEmail('qb');
const listener = new CompletionListener(lab.rabbitUrl);
/** The test lab runs two workers; each must be back on the broker before the next burst. */
const workers = Object.entries(lab.addresses).filter(([id]) => id.startsWith('worker-service')).map(([, url]) => url);

async function workersHealthy(): Promise<void> {
  for (const url of workers) await eventually(() => http(`${url}/health`), (r) => r.status === 200, 30_000);
}

beforeAll(async () => {
  await createUser(g, a, { tuesday: [8, 9] });
  await createUser(g, b, { tuesday: [9] });
  await listener.connect();
});
afterAll(() => listener.close());

async function enqueue(n: number, concurrency = 10): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const res = await http(`${g}/worker/tasks`, { method: 'POST', body: { userId1: a, userId2: b } });
        expect(res.status, res.text).toBe(202);
        expect(res.body).toMatchObject({ status: 'enqueued', queue: 'meeting_jobs' });
        ids.push(res.body.job_id);
      }
    }),
  );
  return ids;
}

describe('asynchronous jobs', () => {
  it('completes a job with its suggestion and reports it in /stats', async () => {
    const [id] = await enqueue(1, 1);
    const events = await eventually(async () => listener.byJob().get(id!) ?? [], (e) => e.length > 0);
    expect(events[0]).toMatchObject({ outcome: 'completed', attempt: 1, suggestion: [{ day: 'tuesday', slot: [9, 10] }] });
    const stats = await http(`${g}/worker/stats`);
    expect(stats.body).toMatchObject({ queue: 'meeting_jobs', connected: true, consumers: workers.length });
    expect(stats.body.processed).toBeGreaterThan(0);
  });

  it('answers 503 at once, never hanging, while RabbitMQ is stopped', async () => {
    await fault('stop', 'rabbitmq');
    try {
      const started = Date.now();
      const res = await http(`${g}/worker/tasks`, { method: 'POST', body: { userId1: a, userId2: b } });
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(6000);
      expect((await http(`${g}/worker/health`)).status).toBe(503);
    } finally {
      await fault('start', 'rabbitmq');
    }
    await workersHealthy();
    await listener.reconnect();
  });

  it('completes 200 queued jobs across a RabbitMQ restart: none lost, duplicates only as redeliveries', async () => {
    const before = await enqueue(100);
    await fault('restart', 'rabbitmq');
    await listener.reconnect();
    await workersHealthy();
    const after = await enqueue(100);
    const ids = [...before, ...after];
    expect(new Set(ids).size).toBe(200);
    const done = await eventually(
      async () => listener.byJob(),
      (m) => ids.every((id) => m.has(id)),
      60_000,
    );
    const missing = ids.filter((id) => !done.has(id));
    expect(missing, `jobs enqueued with 202 but never completed: ${missing.length}`).toEqual([]);
    for (const id of ids) {
      const events = done.get(id)!;
      expect(events.every((e) => e.outcome === 'completed')).toBe(true);
      // At least once: a second event for a job is only ever a visible redelivery or retry.
      if (events.length > 1) expect(events.slice(1).every((e) => e.redelivered || e.attempt > 1)).toBe(true);
    }
  }, 120_000);

  it.each(['stop', 'kill'] as const)('loses no job when the worker is %s-ped mid-burst and started again', async (verb) => {
    // Enqueueing outpaces the consumer (JOB_WORK_MS=20, prefetch 16), so a backlog is waiting.
    const ids = await enqueue(400, 20);
    await fault(verb, 'worker-service');
    const during = listener.byJob();
    await fault('start', 'worker-service');
    const done = await eventually(async () => listener.byJob(), (m) => ids.every((id) => m.has(id)), 60_000);
    expect(ids.filter((id) => !done.has(id))).toEqual([]);
    // Some jobs were finished before the fault and some after it: the fault really was mid-burst.
    expect(ids.some((id) => during.has(id))).toBe(true);
    expect(ids.some((id) => !during.has(id))).toBe(true);
  }, 90_000);

  it('fails a job whose users do not exist, once, without retrying', async () => {
    const res = await http(`${g}/worker/tasks`, { method: 'POST', body: { userId1: uniqueEmail('ghost'), userId2: b } });
    expect(res.status).toBe(202);
    const events = await eventually(async () => listener.byJob().get(res.body.job_id) ?? [], (e) => e.length > 0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failed', attempt: 1 });
  });
});
