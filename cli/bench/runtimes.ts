/**
 * npm run bench:runtimes — the same requests through a process lab and a Docker lab, both up at
 * once, rounds interleaved (process, Docker, process, ...) so both see the same machine noise.
 * Prints, per case, p50/p99 at one connection and req/s at ten, the Docker/process ratios, and
 * where the CPU went during the ten-connection cache-hit load (per program, from /proc). Every
 * loop is bounded in count; traffic goes to 127.0.0.1 and the labs' own containers; both labs are
 * taken down at the end whatever happens. Needs a Docker Engine and the local images
 * (`w2meet images build`).
 *
 * BENCH_ROUNDS (3), BENCH_COUNT (2000) and BENCH_WARMUP (1500) change what is measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { DockerRuntime } from '../src/lab/docker/docker-runtime.js';
import { labSpec } from '../src/lab/open-lab.js';
import { packageRoot } from '../src/shared/paths.js';
import { ProcessRuntime } from '../src/lab/process/process-runtime.js';
import type { Runtime } from '../src/lab/runtime.js';
import { cpuDuring } from './cpu-sample.js';
import { closedLoop, median, type Summary } from './latency.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1500);
const MISS_USERS = 400;

interface Lab {
  name: 'process' | 'docker';
  runtime: Runtime;
  lab: string;
  gateway: string;
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.body.dump();
  if (res.statusCode !== 201) throw new Error(`POST ${url} answered ${res.statusCode}`);
}

async function bringUp(name: Lab['name'], runtime: Runtime): Promise<Lab> {
  const lab = `bench-${name}`;
  await runtime.down(lab, { volumes: true });
  process.stderr.write(`bringing lab ${lab} up on ${name}...\n`);
  const status = await runtime.up(await labSpec({ name: lab, gatewayPort: 0 }, runtime));
  const gateway = status.gatewayUrl;
  await post(`${gateway}/users/users`, { email: 'bench-a@example.com', availabilities: { monday: [9, 10, 11] }, preferences: 'first' });
  await post(`${gateway}/users/users`, { email: 'bench-b@example.com', availabilities: { monday: [10, 11] }, preferences: 'last' });
  for (let r = 0; r < ROUNDS; r++)
    for (let i = 0; i < MISS_USERS; i++) await post(`${gateway}/users/users`, { email: `miss-${r}-${i}@example.com`, availabilities: {} });
  return { name, runtime, lab, gateway };
}

const HIT = '/users/user-avail/cache-aside?user1email=bench-a@example.com';
const SUGGESTION = '/suggestion/suggestions?userId1=bench-a@example.com&userId2=bench-b@example.com';

interface Case {
  name: string;
  run: (lab: Lab, round: number) => Promise<Summary>;
}

const CASES: Case[] = [
  {
    name: 'cache hit, 1 conn',
    run: (l) => closedLoop({ origin: l.gateway, path: () => HIT, count: COUNT, warmup: WARMUP, connections: 1 }),
  },
  {
    name: 'cache hit, 10 conns',
    run: (l) => closedLoop({ origin: l.gateway, path: () => HIT, count: COUNT * 5, warmup: WARMUP, connections: 10 }),
  },
  {
    name: 'cache miss, 1 conn',
    run: (l, round) =>
      closedLoop({
        origin: l.gateway,
        path: (i) => `/users/user-avail/cache-aside?user1email=miss-${round}-${i}@example.com`,
        count: MISS_USERS,
        warmup: 0,
        connections: 1,
      }),
  },
  {
    name: 'suggestion, 1 conn',
    run: (l) => closedLoop({ origin: l.gateway, path: () => SUGGESTION, count: COUNT, warmup: WARMUP, connections: 1 }),
  },
  {
    name: 'suggestion, 10 conns',
    run: (l) => closedLoop({ origin: l.gateway, path: () => SUGGESTION, count: COUNT * 2, warmup: WARMUP, connections: 10 }),
  },
  {
    name: 'gateway /health, 1 conn',
    run: (l) => closedLoop({ origin: l.gateway, path: () => '/health', count: COUNT, warmup: WARMUP, connections: 1 }),
  },
];

async function main(): Promise<void> {
  const labs: Lab[] = [];
  const stop = async () => {
    for (const l of labs) await l.runtime.down(l.lab, { volumes: true }).catch(() => {});
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    labs.push(await bringUp('process', new ProcessRuntime()));
    labs.push(await bringUp('docker', new DockerRuntime()));
    const raw: Record<string, Record<string, Summary[]>> = { process: {}, docker: {} };
    const cpu: Record<string, Array<{ name: string; cores: number }>> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CASES) {
        for (const lab of round % 2 ? [...labs].reverse() : labs) {
          process.stderr.write(`round ${round + 1}/${ROUNDS}: ${c.name} on ${lab.name}\n`);
          // Where the CPU goes is sampled once, in the last round, during the ten-connection cache hit.
          if (round === ROUNDS - 1 && c.name === 'cache hit, 10 conns') {
            const { result, shares } = await cpuDuring(() => c.run(lab, round));
            cpu[lab.name] = shares.slice(0, 10);
            (raw[lab.name]![c.name] ??= []).push(result);
          } else (raw[lab.name]![c.name] ??= []).push(await c.run(lab, round));
        }
      }
    }
    const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(3));
    const rows = CASES.map((c) => {
      const of = (runtime: string, pick: (s: Summary) => number) => median(raw[runtime]![c.name]!.map(pick));
      const p = { p50: of('process', (s) => s.p50), p99: of('process', (s) => s.p99), rps: of('process', (s) => s.rps) };
      const d = { p50: of('docker', (s) => s.p50), p99: of('docker', (s) => s.p99), rps: of('docker', (s) => s.rps) };
      return { name: c.name, process: p, docker: d, ratio: { p50: d.p50 / p.p50, p99: d.p99 / p.p99, rps: d.rps / p.rps } };
    });
    const head = ['case', 'proc p50', 'dock p50', 'x', 'proc p99', 'dock p99', 'x', 'proc req/s', 'dock req/s', 'x'];
    const widths = [26, 9, 9, 5, 9, 9, 5, 11, 11, 5];
    const line = (cells: string[]) => `${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ')}\n`;
    process.stdout.write(`\n${line(head)}`);
    for (const r of rows) {
      process.stdout.write(
        line([
          r.name,
          fmt(r.process.p50),
          fmt(r.docker.p50),
          r.ratio.p50.toFixed(2),
          fmt(r.process.p99),
          fmt(r.docker.p99),
          r.ratio.p99.toFixed(2),
          r.process.rps.toFixed(0),
          r.docker.rps.toFixed(0),
          r.ratio.rps.toFixed(2),
        ]),
      );
    }
    for (const [runtime, shares] of Object.entries(cpu)) {
      process.stdout.write(`\nCPU during the cache hit at 10 conns, ${runtime} lab (cores):\n`);
      for (const s of shares) process.stdout.write(`  ${s.name.padEnd(40)} ${s.cores.toFixed(2)}\n`);
    }
    const out = join(packageRoot(), 'reports', `bench-runtimes-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await mkdir(join(packageRoot(), 'reports'), { recursive: true });
    const host = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
    await writeFile(out, `${JSON.stringify({ host, rounds: ROUNDS, count: COUNT, summary: rows, cpu, raw }, null, 2)}\n`);
    process.stdout.write(`\nmedians of ${ROUNDS} rounds, ms and req/s; x = Docker / process; written to ${out}\n`);
  } finally {
    await stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
