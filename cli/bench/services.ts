/**
 * npm run bench:services — brings a lab up on the process runtime, measures the services with a
 * microsecond clock, prints a table and writes JSON to reports/. Every loop is bounded in count;
 * traffic goes to 127.0.0.1 only; the lab is taken down at the end whatever happens.
 *
 * Each figure is the median over ROUNDS rounds (the machine is noisy); the JSON keeps every round.
 * BENCH_ROUNDS, BENCH_COUNT, BENCH_WARMUP and BENCH_REPLICAS change what is measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { labSpec, parseReplicas } from '../src/lab/open-lab.js';
import { packageRoot } from '../src/shared/paths.js';
import { ProcessRuntime } from '../src/lab/process/process-runtime.js';
import { closedLoop, median, type Summary } from './latency.js';

const LAB = 'bench';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
/** Requests before each measured loop: V8 needs a few thousand to optimise a service's hot path. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1500);
const MISS_USERS = 600;

async function post(url: string, body: unknown): Promise<void> {
  const res = await request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.body.dump();
  if (res.statusCode !== 201) throw new Error(`POST ${url} answered ${res.statusCode}`);
}

interface Case {
  name: string;
  run: (round: number) => Promise<Summary>;
}

async function main(): Promise<void> {
  const runtime = new ProcessRuntime();
  await runtime.down(LAB, { volumes: true });
  // BENCH_REPLICAS (e.g. availability=1,suggestion=1) measures another topology than the default.
  const spec = await labSpec({ name: LAB, gatewayPort: 0, replicas: parseReplicas(process.env.BENCH_REPLICAS) }, runtime);
  process.stderr.write('bringing the bench lab up...\n');
  const status = await runtime.up(spec);
  const stop = () => runtime.down(LAB, { volumes: true });
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const g = status.gatewayUrl;
    const direct = `http://${status.instances.find((i) => i.id === 'user-service')!.address}`;
    await post(`${g}/users/users`, {
      email: 'bench-a@example.com',
      availabilities: { monday: [9, 10, 11], friday: [14] },
      preferences: 'first',
    });
    await post(`${g}/users/users`, {
      email: 'bench-b@example.com',
      availabilities: { monday: [10, 11], friday: [14] },
      preferences: 'last',
    });
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < MISS_USERS; i++)
        await post(`${g}/users/users`, { email: `miss-${r}-${i}@example.com`, availabilities: { monday: [i % 24] } });
    }
    const hitPath = () => '/user-avail/cache-aside?user1email=bench-a@example.com';
    const cases: Case[] = [
      {
        name: 'cache hit, direct, 1 conn',
        run: () => closedLoop({ origin: direct, path: hitPath, count: COUNT, warmup: WARMUP, connections: 1 }),
      },
      {
        name: 'cache hit, gateway, 1 conn',
        run: () => closedLoop({ origin: g, path: () => `/users${hitPath()}`, count: COUNT, warmup: WARMUP, connections: 1 }),
      },
      {
        name: 'cache hit, gateway, 10 conns',
        run: () => closedLoop({ origin: g, path: () => `/users${hitPath()}`, count: COUNT * 5, warmup: WARMUP, connections: 10 }),
      },
      {
        name: 'cache miss, gateway, 1 conn',
        run: (round) =>
          closedLoop({
            origin: g,
            path: (i) => `/users/user-avail/cache-aside?user1email=miss-${round}-${i}@example.com`,
            count: MISS_USERS,
            warmup: 0,
            connections: 1,
          }),
      },
      {
        name: 'suggestion chain, gateway, 1 conn',
        run: () =>
          closedLoop({
            origin: g,
            path: () => '/suggestion/suggestions?userId1=bench-a@example.com&userId2=bench-b@example.com',
            count: COUNT,
            warmup: WARMUP,
            connections: 1,
          }),
      },
      {
        name: 'suggestion 404, gateway, 1 conn',
        run: () =>
          closedLoop({
            origin: g,
            path: () => '/suggestion/suggestions?userId1=nobody@example.com&userId2=bench-b@example.com',
            count: COUNT,
            warmup: WARMUP,
            connections: 1,
          }),
      },
    ];
    const results: Record<string, Summary[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) {
        process.stderr.write(`round ${round + 1}/${ROUNDS}: ${c.name}\n`);
        (results[c.name] ??= []).push(await c.run(round));
      }
    }
    const fmt = (v: number | null) => (v === null || Number.isNaN(v) ? '-' : v.toFixed(3));
    const rows = cases.map((c) => {
      const rs = results[c.name]!;
      const serverValues = rs.map((r) => r.serverP50).filter((v): v is number => v !== null);
      return {
        name: c.name,
        p50: median(rs.map((r) => r.p50)),
        p90: median(rs.map((r) => r.p90)),
        p99: median(rs.map((r) => r.p99)),
        rps: median(rs.map((r) => r.rps)),
        serverP50: serverValues.length ? median(serverValues) : null,
        statuses: rs[0]!.statuses,
      };
    });
    process.stdout.write(
      `\n${'case'.padEnd(36)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'server p50'.padStart(11)}\n`,
    );
    for (const r of rows) {
      process.stdout.write(
        `${r.name.padEnd(36)} ${fmt(r.p50).padStart(8)} ${fmt(r.p90).padStart(8)} ${fmt(r.p99).padStart(8)} ${r.rps.toFixed(0).padStart(8)} ${fmt(r.serverP50).padStart(11)}\n`,
      );
    }
    const out = join(packageRoot(), 'reports', `bench-services-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await mkdir(join(packageRoot(), 'reports'), { recursive: true });
    await writeFile(
      out,
      `${JSON.stringify(
        {
          host: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
          rounds: ROUNDS,
          count: COUNT,
          summary: rows,
          raw: results,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`\nmedians of ${ROUNDS} rounds; written to ${out}\n`);
  } finally {
    await stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
