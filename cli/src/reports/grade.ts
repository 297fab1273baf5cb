import { LabFailedError } from '../errors.js';
import { labSpec, parseReplicas, runtimeForLab, runtimeForUp, type RuntimeChoice } from '../lab/open-lab.js';
import type { Runtime } from '../lab/runtime.js';
import { runScenarios } from '../scenarios/run-command.js';
import { selectScenarios } from '../scenarios/suite.js';
import { GRADE_EXIT } from './grade-exit.js';
import { loadClaims } from './load-claims.js';
import { FORMATS, writeReports } from './write-reports.js';

export { GRADE_EXIT };

export interface GradeOptions {
  names: string[];
  lab: string;
  runtime: RuntimeChoice;
  port: number;
  replicas?: string;
  target?: string;
  reportsDir: string;
}

async function bringUp(options: GradeOptions): Promise<{ runtime: Runtime; startedHere: boolean }> {
  const existing = await runtimeForLab(options.lab);
  if (await existing.status(options.lab)) {
    process.stderr.write(`grade: using lab ${options.lab}, already up; it stays up afterwards\n`);
    return { runtime: existing, startedHere: false };
  }
  const runtime = await runtimeForUp(options.runtime, { onChoice: (line) => process.stderr.write(`grade: ${line}\n`) });
  // Two workers unless told otherwise: the queue scenario compares the drain of one with two.
  const spec = await labSpec(
    { name: options.lab, gatewayPort: options.port, replicas: { 'worker-service': 2, ...parseReplicas(options.replicas) } },
    runtime,
  );
  process.stderr.write(`grade: bringing lab ${options.lab} up on ${runtime.name}\n`);
  try {
    await runtime.up(spec, { onProgress: (e) => e.type === 'healthy' && process.stderr.write(`  healthy ${e.id}\n`) });
  } catch (err) {
    await runtime.down(options.lab, { volumes: true }).catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    throw new LabFailedError(message);
  }
  return { runtime, startedHere: true };
}

/**
 * The whole grading job: every input validated first, a lab brought up (or the one already up, or
 * --target), the suite run, every report format written, the lab it started taken down. Returns
 * the exit code: checks failed (3) before claims failed (4).
 */
/** The grade's exit code from a report's summary: a failed check outranks a failed claim. */
export function gradeExitCode(s: { scenarios: { failed: number }; checks: { failed: number }; claims: { fails: number } }): number {
  if (s.scenarios.failed > 0 || s.checks.failed > 0) return GRADE_EXIT.checksFailed;
  return s.claims.fails > 0 ? GRADE_EXIT.claimsFailed : GRADE_EXIT.passed;
}

export async function grade(options: GradeOptions): Promise<{ exitCode: number; runDir: string; summary: string }> {
  await selectScenarios(options.names);
  const claims = await loadClaims();
  let lab: { runtime: Runtime; startedHere: boolean } | null = null;
  if (!options.target) lab = await bringUp(options);
  try {
    const { results, path } = await runScenarios({
      names: options.names,
      lab: options.lab,
      target: options.target,
      reportsDir: options.reportsDir,
    });
    const runDir = path.replace(/\/results\.json$/, '');
    const { report, written } = await writeReports(runDir, results, claims, FORMATS);
    const s = report.summary;
    const summary = `${s.scenarios.passed} scenarios passed, ${s.scenarios.failed} failed, ${s.scenarios.skipped} skipped; claims ${s.claims.holds} hold, ${s.claims.fails} fail, ${s.claims.inconclusive} inconclusive\nreports: ${written.join(', ')}`;
    const exitCode = gradeExitCode(s);
    return { exitCode, runDir, summary };
  } finally {
    if (lab?.startedHere) {
      process.stderr.write(`grade: taking lab ${options.lab} down\n`);
      await lab.runtime.down(options.lab, { volumes: true });
    }
  }
}
