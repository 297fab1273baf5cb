/**
 * npm run bench:swarm-stops — does a stop on a swarm take, every time? On a lab it brings up with
 * `--runtime swarm` (this Engine must be a swarm manager: `w2meet swarm init`), it stops BENCH_TARGET
 * (postgres) BENCH_STOPS times (30, at most 200) in a row, asks the gateway 10 times, one after
 * another, right after each stop for what needs the target (expecting no 200), then starts it again. For each stop it prints its
 * seconds, the statuses, and how many times w2meet had to scale the service to 0: the Engine
 * (20.10 here) can leave a freshly restarted task running with Replicas 0, and w2meet scales again
 * while it does (see src/lab/swarm/scale-to-nothing.ts). The count is the service's updates the
 * Engine reported during the stop, so it means scales on a one-node swarm (on several nodes a fault
 * job's label updates count too). Takes down the lab it brought up (down -v), after a failure and on
 * Ctrl-C too. Every loop is bounded; requests go to the gateway on 127.0.0.1 only.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { packageRoot } from '../src/shared/paths.js';
import { serviceName } from '../src/lab/swarm/service-plan.js';

const LAB = 'bench-swarm-stops';
const STOPS = Number(process.env.BENCH_STOPS ?? 30);
const MOST_STOPS = 200;
const TARGET = process.env.BENCH_TARGET ?? 'postgres';
const EMAIL = 'bench-stops@w2meet.example';
/** What needs each target: Postgres behind user-service, user-service behind availability. */
const PROBES: Record<string, string> = {
  postgres: `/users/users/${EMAIL}`,
  'user-service': `/availability/availabilities?userId1=${EMAIL}&userId2=${EMAIL}`,
};
const cli = join(packageRoot(), 'dist', 'cli', 'w2meet.js');

interface StopRun {
  seconds: number;
  statuses: number[];
  scales: number;
  error?: string;
}

async function w2meet(args: string[], timeout = 120_000) {
  return execa('node', [cli, ...args, '--lab', LAB], { reject: false, all: true, timeout });
}

/** Status codes of `count` requests sent one after another (5 s each at most). */
async function statuses(gateway: string, path: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const res = await fetch(`${gateway}${path}`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
    out.push(res?.status ?? 0);
    await res?.body?.cancel();
  }
  return out;
}

/** The service updates the Engine reported for the service between two times (seconds). */
async function updates(docker: Docker, service: string, since: number, until: number): Promise<number> {
  const stream = (await docker.getEvents({
    since,
    until,
    filters: { type: ['service'], service: [service], event: ['update'] },
  })) as unknown as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text.split('\n').filter((l) => l.trim()).length;
}

async function main(): Promise<void> {
  const path = PROBES[TARGET];
  if (!path) throw new Error(`BENCH_TARGET=${TARGET}: expected one of ${Object.keys(PROBES).join(', ')}`);
  if (!Number.isInteger(STOPS) || STOPS < 1 || STOPS > MOST_STOPS)
    throw new Error(`BENCH_STOPS=${process.env.BENCH_STOPS}: expected a whole number from 1 to ${MOST_STOPS}`);
  // Ctrl-C ends the loop between stops; the finally below then takes the lab down.
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('interrupted: taking the lab down after this stop\n');
  });
  const docker = new Docker();
  const runs: StopRun[] = [];
  try {
    const up = await w2meet(['up', '--runtime', 'swarm', '--port', '0'], 15 * 60_000);
    if (up.exitCode !== 0) throw new Error(`up failed (exit ${up.exitCode}):\n${(up.all ?? '').slice(-1500)}`);
    const gateway = /gateway (http:\/\/127\.0\.0\.1:\d+)/.exec(up.all ?? '')?.[1];
    if (!gateway) throw new Error('up printed no gateway address');
    const made = await fetch(`${gateway}/users/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, availabilities: { monday: [9, 10] } }),
    });
    if (made.status !== 201 && made.status !== 200) throw new Error(`could not make the bench's user: ${made.status}`);
    for (let n = 1; n <= STOPS && !interrupted; n++) {
      // Fractions of a second, so that the last start's scale to 1 is not counted.
      const since = Date.now() / 1000;
      const started = process.hrtime.bigint();
      const stop = await w2meet(['stop', TARGET]);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const codes = await statuses(gateway, path, 10);
      const scales = await updates(docker, serviceName(LAB, TARGET), since, Date.now() / 1000);
      const run: StopRun = { seconds, statuses: codes, scales, ...(stop.exitCode ? { error: (stop.all ?? '').trim() } : {}) };
      runs.push(run);
      process.stdout.write(
        `stop ${String(n).padStart(2)}  ${seconds.toFixed(2)} s  scaled ${scales}x  ${codes.join(' ')}${run.error ? `  (${run.error})` : ''}\n`,
      );
      const start = await w2meet(['start', TARGET]);
      if (start.exitCode !== 0) throw new Error(`start ${TARGET} failed:\n${(start.all ?? '').slice(-1500)}`);
    }
  } finally {
    await w2meet(['down', '-v'], 5 * 60_000);
  }
  const answered = runs.filter((r) => r.statuses.includes(200)).length;
  const again = runs.filter((r) => r.scales > 1).length;
  const sorted = runs.map((r) => r.seconds).sort((a, b) => a - b);
  process.stdout.write(
    `\n${runs.length} stops of ${TARGET}: ${answered} answered 200 after the stop, ${again} needed the scale sent again; ` +
      `stop median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} s, slowest ${sorted.at(-1)?.toFixed(2)} s\n`,
  );
  await mkdir(join(packageRoot(), 'reports'), { recursive: true });
  await writeFile(
    join(packageRoot(), 'reports', `bench-swarm-stops-${TARGET}.json`),
    `${JSON.stringify({ target: TARGET, runs }, null, 2)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
