/**
 * npm run bench:dashboard — what the dashboard itself costs on a running lab it only watches:
 * its CPU share (of one core) while the lab is idle, and its memory over a long session (resident
 * set every 10 s: the first and last minute compared, so growth shows as a slope).
 *
 * The dashboard runs in a tmux session of its own (a real terminal), against BENCH_LAB when it is
 * up, else a process lab `bench-dashboard` brought up here and taken down at the end.
 * BENCH_MINUTES (default 10) sets the session's length. Only what it started is stopped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { labSpec, runtimeForLab } from '../src/lab/open-lab.js';
import { packageRoot } from '../src/shared/paths.js';
import { ProcessRuntime } from '../src/lab/process/process-runtime.js';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
const SAMPLE_MS = 10_000;
const CLOCK_TICKS = 100; // USER_HZ on Linux
const session = `w2meet-bench-dashboard-${process.pid}`;

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

async function main(): Promise<void> {
  let lab = process.env.BENCH_LAB ?? 'bench-dashboard';
  let startedLab = false;
  if (!(await (await runtimeForLab(lab)).status(lab))) {
    lab = 'bench-dashboard';
    process.stderr.write(`bringing lab ${lab} up on local processes...\n`);
    const runtime = new ProcessRuntime();
    await runtime.up(await labSpec({ name: lab, gatewayPort: 0 }, runtime));
    startedLab = true;
  }
  const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
  execFileSync('tmux', [
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '120',
    '-y',
    '40',
    `${process.execPath} ${entry} dashboard --lab ${lab}`,
  ]);
  try {
    const pid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
    // Let it start and settle before measuring: the first seconds load modules and fill the log.
    await sleep(15_000);
    const samples: Array<{ at: number; cpu: number; rss: number }> = [];
    const started = Date.now();
    while (Date.now() - started < MINUTES * 60_000) {
      samples.push({ at: (Date.now() - started) / 60_000, cpu: cpuSeconds(pid), rss: rssMiB(pid) });
      await sleep(SAMPLE_MS);
    }
    samples.push({ at: (Date.now() - started) / 60_000, cpu: cpuSeconds(pid), rss: rssMiB(pid) });
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const cpuPct = (100 * (last.cpu - first.cpu)) / ((last.at - first.at) * 60);
    const minute = (from: number, to: number) => {
      const inside = samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss);
      return inside.reduce((a, b) => a + b, 0) / Math.max(1, inside.length);
    };
    const early = minute(0, 1);
    const late = minute(last.at - 1, last.at);
    process.stdout.write(`\ndashboard on an idle lab (${lab}), ${last.at.toFixed(1)} minutes, sampled every ${SAMPLE_MS / 1000} s\n`);
    process.stdout.write(`  CPU, share of one core            ${cpuPct.toFixed(2)} %   target < 5 %\n`);
    process.stdout.write(`  resident memory, first minute     ${early.toFixed(1)} MiB\n`);
    process.stdout.write(`  resident memory, last minute      ${late.toFixed(1)} MiB\n`);
    process.stdout.write(
      `  growth                            ${((late - early) / Math.max(1e-9, last.at - 1)).toFixed(2)} MiB/min   target: none\n`,
    );
    process.stdout.write(`  largest                           ${Math.max(...samples.map((s) => s.rss)).toFixed(1)} MiB\n`);
  } finally {
    execFileSync('tmux', ['kill-session', '-t', session]);
    if (startedLab) await new ProcessRuntime().down(lab, { volumes: true });
  }
}

await main();
