/**
 * npm run bench:grade — are the verdicts stable? `w2meet grade` runs BENCH_GRADES times (3) in a row
 * against one lab, and the table shows every claim's verdict and figure with its 95% interval in
 * each run, the spread between runs against the width of one run's interval, and what the lab
 * accumulated between runs. With BENCH_FRESH=1 each grade gets a lab made afresh (`down -v`, `up`),
 * which tells drift from accumulated state apart from drift of the machine. Process runtime by
 * default; BENCH_RUNTIME=docker for the Docker lab. The JSON in reports/ keeps every run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { labSpec } from '../src/lab/open-lab.js';
import { labDir, packageRoot } from '../src/shared/paths.js';
import { DockerRuntime } from '../src/lab/docker/docker-runtime.js';
import { ProcessRuntime } from '../src/lab/process/process-runtime.js';
import type { Report } from '../src/reports/build-report.js';

const LAB = 'bench-grade';
const GRADES = Number(process.env.BENCH_GRADES ?? 3);
const FRESH = process.env.BENCH_FRESH === '1';
const RUNTIME = process.env.BENCH_RUNTIME ?? 'process';
/** One grade of the whole suite takes about three minutes on two cores; ten is the most it may take. */
const GRADE_TIMEOUT_MS = 10 * 60_000;

if (RUNTIME !== 'process' && RUNTIME !== 'docker') {
  process.stderr.write(`BENCH_RUNTIME=${RUNTIME}: expected process or docker\n`);
  process.exit(2);
}
const runtime = RUNTIME === 'docker' ? new DockerRuntime({ images: 'local' }) : new ProcessRuntime();
const cli = join(packageRoot(), 'dist', 'cli', 'w2meet.js');

async function up(): Promise<void> {
  const spec = await labSpec({ name: LAB, gatewayPort: 0, replicas: { 'worker-service': 2 } }, runtime);
  await runtime.up(spec);
}

/** What the lab has kept so far: its folder (logs, data on processes), in MB. */
function labMegabytes(): number {
  try {
    return Number(execFileSync('du', ['-sm', labDir(LAB)], { encoding: 'utf8' }).split('\t')[0]);
  } catch {
    return 0;
  }
}

interface GradeRun {
  exitCode: number;
  seconds: number;
  labMb: number;
  claims: Array<{ id: string; status: string; value: number | null; low: number | null; high: number | null }>;
}

async function grade(reports: string): Promise<GradeRun> {
  const started = process.hrtime.bigint();
  const run = await execa('node', [cli, 'grade', '--lab', LAB, '--reports', reports], {
    reject: false,
    timeout: GRADE_TIMEOUT_MS,
    all: true,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const dir = /results?: (\S+)\/results\.json/.exec(run.all ?? '')?.[1] ?? /reports: (\S+)\/report\.md/.exec(run.all ?? '')?.[1];
  if (!dir) throw new Error(`grade wrote no report (exit ${run.exitCode}):\n${(run.all ?? '').slice(-2000)}`);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  return {
    exitCode: run.exitCode ?? -1,
    seconds,
    labMb: labMegabytes(),
    claims: report.claims.map((c) => ({
      id: c.id,
      status: c.status,
      value: c.value,
      low: c.interval?.low ?? null,
      high: c.interval?.high ?? null,
    })),
  };
}

const fmt = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

async function main(): Promise<void> {
  const reports = mkdtempSync(join(tmpdir(), 'w2meet-bench-grade-'));
  const runs: GradeRun[] = [];
  try {
    await runtime.down(LAB, { volumes: true });
    await up();
    for (let g = 0; g < GRADES; g++) {
      if (FRESH && g > 0) {
        await runtime.down(LAB, { volumes: true });
        await up();
      }
      process.stderr.write(`grade ${g + 1}/${GRADES}${FRESH ? ' (fresh lab)' : ''}\n`);
      runs.push(await grade(reports));
    }
  } finally {
    await runtime.down(LAB, { volumes: true });
    rmSync(reports, { recursive: true, force: true });
  }
  const ids = runs[0]!.claims.map((c) => c.id);
  const lines = [
    `# ${GRADES} grades in a row on one ${RUNTIME} lab${FRESH ? ' (made afresh before each)' : ''}`,
    '',
    `| claim | ${runs.map((_, i) => `run ${i + 1}`).join(' | ')} | same verdict | spread between runs | one run's interval |`,
    `|---|${runs.map(() => '---|').join('')}---|---|---|`,
  ];
  for (const id of ids) {
    const per = runs.map((r) => r.claims.find((c) => c.id === id)!);
    const values = per.map((c) => c.value).filter((v): v is number => v !== null && v !== 0);
    const spread = values.length > 1 ? Math.max(...values) / Math.min(...values) - 1 : null;
    const widths = per.filter((c) => c.low !== null && c.value).map((c) => (c.high! - c.low!) / Math.abs(c.value!));
    const width = widths.length ? widths.reduce((a, b) => a + b, 0) / widths.length : null;
    lines.push(
      `| ${id} | ${per.map((c) => `${c.status} ${fmt(c.value)}${c.low !== null ? ` [${fmt(c.low)}-${fmt(c.high)}]` : ''}`).join(' | ')} | ${new Set(per.map((c) => c.status)).size === 1 ? 'yes' : 'no'} | ${spread === null ? '-' : `${(spread * 100).toFixed(0)}%`} | ${width === null ? '-' : `${(width * 100).toFixed(0)}%`} |`,
    );
  }
  lines.push(
    '',
    `grade exit codes ${runs.map((r) => r.exitCode).join(', ')}; seconds ${runs.map((r) => r.seconds.toFixed(0)).join(', ')}; lab folder after each ${runs.map((r) => `${r.labMb} MB`).join(', ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  await mkdir(join(packageRoot(), 'reports'), { recursive: true });
  await writeFile(
    join(packageRoot(), 'reports', `bench-grade${FRESH ? '-fresh' : ''}.json`),
    `${JSON.stringify({ runtime: RUNTIME, fresh: FRESH, runs }, null, 2)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
