/**
 * npm run bench:startup — how long `up` takes to an all-healthy lab and `down` takes to clear it,
 * on both runtimes (BENCH_RUNTIMES=process or docker for one), with images already built; with BENCH_IMAGE_BUILD=1 also the first
 * `--images local` build (the local base image is removed and built again, about three minutes).
 * Each figure is the median of ROUNDS rounds; the JSON in reports/ keeps every round.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DockerRuntime } from '../src/lab/docker/docker-runtime.js';
import { dockerClient, pingDocker } from '../src/lab/docker/engine.js';
import { buildLabImages } from '../src/lab/docker/lab-images.js';
import { localImageRef, localRecipe } from '../src/lab/docker/local-base-image.js';
import { labSpec } from '../src/lab/open-lab.js';
import { packageRoot } from '../src/shared/paths.js';
import { ProcessRuntime } from '../src/lab/process/process-runtime.js';
import type { Runtime } from '../src/lab/runtime.js';
import { median } from './latency.js';

const LAB = 'bench-startup';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Which runtimes to measure: `process`, `docker` or both (the default), comma-separated. */
const ONLY = new Set((process.env.BENCH_RUNTIMES ?? 'process,docker').split(',').map((r) => r.trim()));
const unknown = [...ONLY].filter((r) => r !== 'process' && r !== 'docker');
if (unknown.length || ONLY.size === 0) {
  process.stderr.write(`BENCH_RUNTIMES=${process.env.BENCH_RUNTIMES}: expected process, docker or both (process,docker)\n`);
  process.exit(2);
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Round {
  upFresh: number;
  downKeep: number;
  upKeptData: number;
  downVolumes: number;
}

async function measure(runtime: Runtime): Promise<Round[]> {
  const rounds: Round[] = [];
  await runtime.down(LAB, { volumes: true });
  for (let r = 0; r < ROUNDS; r++) {
    const spec = await labSpec({ name: LAB, gatewayPort: 0 }, runtime);
    process.stderr.write(`${runtime.name} round ${r + 1}/${ROUNDS}\n`);
    try {
      const upFresh = await timed(() => runtime.up(spec));
      const downKeep = await timed(() => runtime.down(LAB));
      const upKeptData = await timed(() => runtime.up(spec));
      const downVolumes = await timed(() => runtime.down(LAB, { volumes: true }));
      rounds.push({ upFresh, downKeep, upKeptData, downVolumes });
    } finally {
      await runtime.down(LAB, { volumes: true });
    }
  }
  return rounds;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { host: { cpus: cpus().length, node: process.version }, rounds: ROUNDS };
  const rows: [string, number][] = [];
  const docker = dockerClient();
  const dockerUp = await pingDocker(docker);
  if (process.env.BENCH_IMAGE_BUILD === '1' && dockerUp) {
    const ref = localImageRef(localRecipe());
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => {});
    process.stderr.write(`building ${ref} from scratch\n`);
    const seconds = await timed(() => buildLabImages(docker, 'local', (l) => process.stderr.write(`  ${l}\n`)));
    rows.push(['first --images local build (s)', seconds]);
    results.imageBuild = seconds;
  }
  const runtimes: Runtime[] = ONLY.has('process') ? [new ProcessRuntime()] : [];
  if (dockerUp && ONLY.has('docker')) {
    await buildLabImages(docker, 'local', () => {});
    runtimes.push(new DockerRuntime({ docker, images: 'local' }));
  } else if (ONLY.has('docker')) {
    process.stderr.write('no Docker Engine answers: measuring the process runtime only\n');
  }
  for (const runtime of runtimes) {
    const rounds = await measure(runtime);
    results[runtime.name] = rounds;
    rows.push([`${runtime.name}: up to all healthy, fresh data (s)`, median(rounds.map((r) => r.upFresh))]);
    rows.push([`${runtime.name}: up to all healthy, data kept (s)`, median(rounds.map((r) => r.upKeptData))]);
    rows.push([`${runtime.name}: down (s)`, median(rounds.map((r) => r.downKeep))]);
    rows.push([`${runtime.name}: down --volumes (s)`, median(rounds.map((r) => r.downVolumes))]);
  }
  process.stdout.write('\n');
  for (const [name, value] of rows) process.stdout.write(`${name.padEnd(48)} ${value.toFixed(2).padStart(8)}\n`);
  const out = join(packageRoot(), 'reports', `bench-startup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(join(packageRoot(), 'reports'), { recursive: true });
  await writeFile(out, `${JSON.stringify({ ...results, summary: Object.fromEntries(rows) }, null, 2)}\n`);
  process.stdout.write(`\nmedians of ${ROUNDS} rounds; written to ${out}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
