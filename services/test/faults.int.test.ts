import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventually, http, labRuntime, testLab, uniqueEmail, withFault } from '../../cli/test/test-lab.js';

const lab = testLab();
const g = lab.gatewayUrl;
const a = uniqueEmail('fa');
const b = uniqueEmail('fb');

async function pidOf(id: string): Promise<number | null> {
  const status = await labRuntime().status(lab.name);
  return status!.instances.find((i) => i.id === id)!.pid;
}

beforeAll(async () => {
  await createUser(g, a, { monday: [9, 10] });
  await createUser(g, b, { monday: [10] });
});

describe('caching under faults', () => {
  it('serves from Postgres with X-Cache: BYPASS while Redis is stopped, and caches again after', async () => {
    const email = uniqueEmail('bypass');
    await createUser(g, email, { friday: [9] });
    await withFault('stop', 'redis', async () => {
      const res = await http(`${g}/users/user-avail/cache-aside?user1email=${email}`);
      expect(res.status).toBe(200);
      expect(res.headers['x-cache']).toBe('BYPASS');
      expect(res.body.email).toBe(email);
      const health = await http(`${g}/users/health`);
      expect(health.status).toBe(200);
      expect(health.body.dependencies.redis.status).toBe('unhealthy');
    });
    const back = await eventually(
      () => http(`${g}/users/user-avail/cache-aside?user1email=${email}`),
      (r) => r.headers['x-cache'] === 'HIT',
    );
    expect(back.headers['x-cache']).toBe('HIT');
  });

  it('answers 503 while Postgres is stopped and 200 after it starts, without restarting the service', async () => {
    const email = uniqueEmail('pgdown');
    await createUser(g, email, { friday: [9] });
    const pidBefore = await pidOf('user-service');
    await withFault('stop', 'postgres', async () => {
      const res = await http(`${g}/users/user-avail/cache-aside?user1email=${email}`);
      expect(res.status).toBe(503);
      expect(res.body.detail[0].msg).toBe('Database is unavailable');
      const health = await http(`${g}/users/health`);
      expect(health.status).toBe(503);
      expect(health.body.status).toBe('unhealthy');
    });
    const res = await eventually(
      () => http(`${g}/users/user-avail/cache-aside?user1email=${email}`),
      (r) => r.status === 200,
    );
    expect(res.status).toBe(200);
    expect(await pidOf('user-service')).toBe(pidBefore);
  });
});

describe('error mapping across services', () => {
  it('availability answers 503 and suggestion 503 while user-service is stopped', async () => {
    await withFault('stop', 'user-service', async () => {
      const avail = await http(`${g}/availability/availabilities?userId1=${a}&userId2=${b}`);
      expect(avail.status).toBe(503);
      expect(avail.body.detail[0].msg).toBe('User service is unavailable');
      const sugg = await http(`${g}/suggestion/suggestions?userId1=${a}&userId2=${b}`);
      expect(sugg.status).toBe(503);
      expect(sugg.body.detail[0].msg).toBe('Availability service is unavailable');
      expect((await http(`${g}/availability/health`)).status).toBe(503);
    });
    expect((await http(`${g}/availability/availabilities?userId1=${a}&userId2=${b}`)).status).toBe(200);
  });

  it('availability answers 502 and suggestion 502 when user-service answers 500', async () => {
    const client = new pg.Client({ connectionString: lab.pgDsn });
    await client.connect();
    // A schema fault: the table is gone, so user-service's reads fail with an internal error.
    const x = uniqueEmail('x');
    const y = uniqueEmail('y');
    await client.query('ALTER TABLE useravail RENAME TO useravail_hidden');
    try {
      const direct = await http(`${g}/users/user-avail/cache-aside?user1email=${x}`);
      expect(direct.status).toBe(500);
      expect(direct.body.detail[0].msg).toBe('Internal server error');
      const avail = await http(`${g}/availability/availabilities?userId1=${x}&userId2=${y}`);
      expect(avail.status).toBe(502);
      expect(avail.body.detail[0].msg).toBe('User service error');
      const sugg = await http(`${g}/suggestion/suggestions?userId1=${x}&userId2=${y}`);
      expect(sugg.status).toBe(502);
      expect(sugg.body.detail[0].msg).toBe('Availability service error');
    } finally {
      await client.query('ALTER TABLE useravail_hidden RENAME TO useravail');
      await client.end();
    }
  });
});

describe('load balancing', () => {
  it('round-robins over the two availability replicas (X-Instance alternates)', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      seen.push((await http(`${g}/availability/availabilities?userId1=${a}&userId2=${b}`)).headers['x-instance']!);
    }
    expect(new Set(seen)).toEqual(new Set(['availability-service-1', 'availability-service-2']));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
  });

  it('skips a killed replica: every GET through the gateway and every suggestion still succeeds', async () => {
    await withFault('kill', 'availability-service#1', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await http(`${g}/availability/availabilities?userId1=${a}&userId2=${b}`)).status);
        statuses.push((await http(`${g}/suggestion/suggestions?userId1=${a}&userId2=${b}`)).status);
      }
      expect(
        statuses.every((s) => s === 200),
        statuses.join(','),
      ).toBe(true);
    });
    const status = await labRuntime().status(lab.name);
    expect(status!.instances.find((i) => i.id === 'availability-service-1')).toMatchObject({ state: 'running', health: 'healthy' });
  });

  // nginx skips a replica for fail_timeout after a try that found it down, counted in whole
  // seconds: with fail_timeout=1s it tries the replica again 1 to 2 s after that try (2 to 3 s with
  // the 2 s it had, when a step of 1,000 requests after a start could miss the replica entirely).
  it('sends to a restarted replica again within 2 s of the last try that found it down', async () => {
    const url = `${g}/availability/availabilities?userId1=${a}&userId2=${b}`;
    const seen: Array<{ sentMs: number; doneMs: number; retried: boolean; instance: string }> = [];
    let polling = true;
    // One GET every 10 ms, 30 s at most, until replica 1 answers after its start.
    const poller = (async () => {
      const deadline = performance.now() + 30_000;
      while (polling && performance.now() < deadline) {
        const sentMs = performance.now();
        const res = await http(url);
        const upstream = res.headers['x-upstream'] ?? '';
        seen.push({ sentMs, doneMs: performance.now(), retried: upstream.includes(','), instance: res.headers['x-instance'] ?? '' });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    let startedAt = Number.POSITIVE_INFINITY;
    try {
      await withFault('kill', 'availability-service#1', async () => {
        // A try that found it down: a GET nginx passed on to the other replica.
        await eventually(
          async () => seen.some((e) => e.retried),
          (found) => found,
          10_000,
          20,
        );
        startedAt = performance.now();
      });
      await eventually(
        async () => seen.some((e) => e.sentMs > startedAt && e.instance === 'availability-service-1'),
        (back) => back,
        20_000,
        20,
      );
      // GETs for 2.5 s more: the window below must have passed whatever the GETs' own pace.
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      polling = false;
      await poller;
    }
    const back = seen.find((e) => e.sentMs > startedAt && e.instance === 'availability-service-1');
    expect(back, 'replica 1 answered no GET after its start').toBeDefined();
    expect(seen.filter((e) => e.instance !== 'availability-service-1' && e.instance !== 'availability-service-2')).toEqual([]);
    const lastDown = seen.filter((e) => e.retried && e.doneMs < back!.sentMs).at(-1)!;
    console.log(`replica 1 answered again ${(back!.sentMs - lastDown.doneMs).toFixed(0)} ms after the last try that found it down`);
    // 2 s after the answer of the last try that found it down, nginx tries it again: of the first
    // two GETs sent from then on (round-robin may give the other replica one more), one reaches it.
    // "From then on" allows three of the poller's own steps (measured in this run): a loaded
    // machine sends its GETs late.
    const gaps = seen
      .slice(1)
      .map((e, n) => e.sentMs - seen[n]!.sentMs)
      .sort((x, y) => x - y);
    const step = gaps[Math.floor(gaps.length / 2)] ?? 0;
    console.log(`the poller sent a GET every ${step.toFixed(1)} ms (median)`);
    const firstTwo = seen.filter((e) => e.sentMs >= lastDown.doneMs + 2000 + 3 * step).slice(0, 2);
    expect(firstTwo).toHaveLength(2);
    expect(firstTwo.map((e) => e.instance)).toContain('availability-service-1');
  }, 70_000);
});
