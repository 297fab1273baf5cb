/**
 * npm run bench:engine — the scenario engine's own cost, against a minimal HTTP server on
 * 127.0.0.1 (a child process), so what is measured is the engine and not a lab:
 *  - the median of a sequential loop through the engine's HTTP client, against a bare undici loop
 *    (the difference is what the engine adds to every latency it reports);
 *  - the open-loop sender at BENCH_RATE requests/s for BENCH_SECONDS: dropped sends, how far it
 *    fell behind its schedule, and the latency it measured;
 *  - a throughput cross-check of the closed loop (a load step with `connections`): the engine's
 *    closed loop and autocannon, each with BENCH_CONNECTIONS connections for BENCH_CLOSED_SECONDS
 *    (at most BENCH_CLOSED_MAX requests), their requests/s side by side. Both are closed loops
 *    against the same server: an engine far below autocannon costs its loads throughput.
 * Each figure is the median over BENCH_ROUNDS rounds; every loop is bounded in count.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { packageRoot } from '../src/shared/paths.js';
import { realClock } from '../src/scenarios/clock.js';
import { runClosedLoop } from '../src/scenarios/closed-loop.js';
import { ExchangeRecorder } from '../src/scenarios/exchange-recorder.js';
import { HttpTarget } from '../src/scenarios/http-exchange.js';
import { runOpenLoop } from '../src/scenarios/open-loop.js';
import { median } from './latency.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COUNT = Number(process.env.BENCH_COUNT ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_IN_FLIGHT = 256;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const CLOSED_SECONDS = Number(process.env.BENCH_CLOSED_SECONDS ?? 5);
const CLOSED_MAX = Number(process.env.BENCH_CLOSED_MAX ?? 200_000);

/** The part of autocannon's API used here; it ships no types. */
interface AutocannonResult {
  /** `total`: the requests answered. */
  requests: { total: number };
  /** Seconds, from its start to the sample that saw it stop. */
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  pipelining: number;
  duration: number;
  maxOverallRequests: number;
  sampleInt: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function startServer(): Promise<{ origin: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'engine-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    origin: `http://127.0.0.1:${chunk.toString().trim()}`,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Median latency (ms) of `count` sequential requests through a bare undici pool. */
async function bareLoop(origin: string, count: number): Promise<number> {
  const pool = new Pool(origin, { connections: 1 });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const start = process.hrtime.bigint();
      const res = await pool.request({ method: 'GET', path: '/', headers: { 'Case-ID': `bench-${i}` } });
      await res.body.text();
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  } finally {
    await pool.close();
  }
  return median(latencies);
}

/** The same loop through the engine's client and recorder, as a request step sends. */
async function engineLoop(origin: string, count: number): Promise<number> {
  const http = new HttpTarget(origin, realClock, 1);
  const recorder = new ExchangeRecorder();
  try {
    for (let i = 0; i < count; i++) {
      const ex = await http.send({ method: 'GET', path: '/', headers: { 'Case-ID': `bench-${i}` } });
      recorder.record(ex, null);
    }
  } finally {
    await http.close();
  }
  return recorder.metrics(1)['latency.p50']!;
}

async function openLoop(origin: string) {
  const http = new HttpTarget(origin, realClock, 128);
  const recorder = new ExchangeRecorder();
  const started = realClock.nowUs();
  try {
    const result = await runOpenLoop({
      rate: RATE,
      total: RATE * SECONDS,
      maxInFlight: MAX_IN_FLIGHT,
      clock: realClock,
      send: async (intended, i) =>
        recorder.record(await http.send({ method: 'GET', path: '/', headers: { 'Case-ID': `open-${i}` } }, intended), null),
    });
    const seconds = (realClock.nowUs() - started) / 1e6;
    const m = recorder.metrics(seconds * 1000);
    return {
      droppedPct: (100 * result.dropped) / (RATE * SECONDS),
      maxLagMs: result.maxLagUs / 1000,
      achievedRps: m.count! / seconds,
      p50: m['latency.p50']!,
      p99: m['latency.p99']!,
    };
  } finally {
    await http.close();
  }
}

interface Throughput {
  rps: number;
  /** Requests that failed, timed out or answered other than 2xx. */
  bad: number;
}

/** The engine's closed loop as a load step with `connections` runs it: its client and recorder. */
async function engineClosedLoop(origin: string, seconds: number, max: number): Promise<Throughput> {
  const http = new HttpTarget(origin, realClock, CONNECTIONS);
  const recorder = new ExchangeRecorder();
  const started = realClock.nowUs();
  let durationMs: number;
  try {
    await runClosedLoop({
      connections: CONNECTIONS,
      total: max,
      durationUs: seconds * 1e6,
      clock: realClock,
      send: async (startUs, i) =>
        recorder.record(await http.send({ method: 'GET', path: '/', headers: { 'Case-ID': `closed-${i}` } }, startUs), null),
    });
    durationMs = (realClock.nowUs() - started) / 1000;
  } finally {
    await http.close();
  }
  const m = recorder.metrics(durationMs);
  // A failed send has no status: it is outside 2xx too.
  return { rps: m.rps!, bad: recorder.count - (m['status.2xx.count'] ?? 0) };
}

/** autocannon, in this process, with the same connections, time and cap. */
async function autocannonLoop(origin: string, seconds: number, max: number): Promise<Throughput> {
  const result = await autocannon({
    url: `${origin}/`,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    maxOverallRequests: max,
    // It notices the end at its next sample: a tenth of a second, not a whole one, is added.
    sampleInt: 100,
    headers: { 'Case-ID': 'autocannon' },
  });
  return { rps: result.requests.total / result.duration, bad: result.errors + result.timeouts + result.non2xx };
}

async function main(): Promise<void> {
  const server = await startServer();
  process.once('SIGINT', () => void server.stop().then(() => process.exit(130)));
  const rounds: Array<Record<string, number>> = [];
  try {
    await bareLoop(server.origin, 3000);
    await engineLoop(server.origin, 3000);
    await engineClosedLoop(server.origin, 1, 3000);
    await autocannonLoop(server.origin, 1, 3000);
    for (let r = 0; r < ROUNDS; r++) {
      const bare = await bareLoop(server.origin, COUNT);
      const engine = await engineLoop(server.origin, COUNT);
      const open = await openLoop(server.origin);
      const closedEngine = await engineClosedLoop(server.origin, CLOSED_SECONDS, CLOSED_MAX);
      const closedAutocannon = await autocannonLoop(server.origin, CLOSED_SECONDS, CLOSED_MAX);
      rounds.push({
        bareP50: bare,
        engineP50: engine,
        addedUs: (engine - bare) * 1000,
        ...open,
        closedEngineRps: closedEngine.rps,
        closedAutocannonRps: closedAutocannon.rps,
        closedRatio: closedEngine.rps / closedAutocannon.rps,
        closedBad: closedEngine.bad + closedAutocannon.bad,
      });
      process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
    }
  } finally {
    await server.stop();
  }
  const med = (k: string) => median(rounds.map((x) => x[k]!));
  const rows: Array<[string, string, string]> = [
    ['bare undici loop, median', `${med('bareP50').toFixed(3)} ms`, ''],
    ['engine client loop, median', `${med('engineP50').toFixed(3)} ms`, ''],
    ['added by the engine to the median', `${med('addedUs').toFixed(1)} µs`, 'target < 50 µs'],
    [`open loop ${RATE}/s for ${SECONDS} s: achieved`, `${med('achievedRps').toFixed(0)} req/s`, ''],
    ['open loop: dropped sends', `${med('droppedPct').toFixed(2)} %`, 'target < 1 %'],
    ['open loop: worst lag behind schedule', `${med('maxLagMs').toFixed(1)} ms`, ''],
    ['open loop: latency p50 / p99', `${med('p50').toFixed(3)} / ${med('p99').toFixed(3)} ms`, 'from the intended send time'],
    [`closed loop, ${CONNECTIONS} conns, up to ${CLOSED_SECONDS} s: engine`, `${med('closedEngineRps').toFixed(0)} req/s`, ''],
    ['closed loop: autocannon, same load', `${med('closedAutocannonRps').toFixed(0)} req/s`, ''],
    ['closed loop: engine / autocannon', `${med('closedRatio').toFixed(2)}`, 'both in this process, one after the other'],
  ];
  const bad = Math.max(...rounds.map((x) => x.closedBad!));
  if (bad > 0) rows.push(['closed loop: failed or non-200 requests', `${bad}`, 'the throughput above is suspect']);
  process.stdout.write(`\nscenario engine overhead (median of ${ROUNDS} rounds, ${cpus().length} cores, Node ${process.version})\n`);
  for (const [name, value, note] of rows) process.stdout.write(`  ${name.padEnd(44)} ${value.padStart(18)}  ${note}\n`);
  const out = join(packageRoot(), 'reports', 'bench-engine.json');
  await mkdir(dirname(out), { recursive: true });
  const closed = { connections: CONNECTIONS, seconds: CLOSED_SECONDS, max: CLOSED_MAX };
  await writeFile(out, `${JSON.stringify({ rate: RATE, seconds: SECONDS, count: COUNT, closed, rounds }, null, 2)}\n`);
  process.stdout.write(`\nevery round: ${out}\n`);
}

await main();
