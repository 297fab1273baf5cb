import type { PhaseResult } from './phase.js';

const COUNTS = /: (\d+) passed, (\d+) failed, (\d+) skipped$/;

/** Adds up the summary lines of every phase; a phase that failed with none counts as one failure. */
export function totals(results: PhaseResult[]): { passed: number; failed: number; skipped: number } {
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    const counted = r.summary.map((l) => COUNTS.exec(l)).filter((m) => m !== null);
    for (const m of counted) {
      sum.passed += Number(m[1]);
      sum.failed += Number(m[2]);
      sum.skipped += Number(m[3]);
    }
    if (r.code !== 0 && !counted.some((m) => Number(m[2]) > 0)) sum.failed += 1;
  }
  return sum;
}

/**
 * One line a phase (its outcome, time and summary), the lines of what was skipped or failed, and
 * last the plain closing line that CI reads. Returns the exit code of the run.
 */
export function printSummary(results: PhaseResult[], seconds: number): number {
  const out = ['', '== summary'];
  for (const r of results) {
    const head = r.summary.find((l) => COUNTS.test(l)) ?? '';
    out.push(`${r.name.padEnd(16)} ${r.code === 0 ? 'ok    ' : `FAILED`} ${r.seconds.toFixed(0).padStart(5)} s  ${head}`);
    for (const line of r.summary.filter((l) => l !== head)) out.push(`${' '.repeat(31)}${line.trim()}`);
  }
  const sum = totals(results);
  out.push(`(${(seconds / 60).toFixed(1)} min in all)`, '', `total: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
  process.stdout.write(`${out.join('\n')}\n`);
  return results.every((r) => r.code === 0) ? 0 : 1;
}
