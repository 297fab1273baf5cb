import { LabFailedError } from '../errors.js';
import { labSpec, parseReplicas, runtimeForLab, runtimeForUp, type RuntimeChoice } from '../lab/open-lab.js';
import type { Runtime } from '../lab/runtime.js';
import { runScenarios } from '../scenarios/run-command.js';
import { selectScenarios } from '../scenarios/suite.js';
import type { ClaimVerdict } from './claim-verdict.js';
import { GRADE_EXIT } from '../errors/grade-exit.js';
import { loadClaims } from './load-claims.js';
import { claimCounts } from './render-markdown.js';
import { FORMATS, writeReports } from './write-reports.js';
import { loadProfile } from '../profiles/load-profile.js';
import { projectForGrade } from './grade-project.js';

export { GRADE_EXIT };

export interface GradeOptions {
  names: string[];
  lab: string;
  runtime: RuntimeChoice;
  port: number;
  replicas?: string;
  target?: string;
  profile?: string;
  /** A deployment's own compose file, brought up unless its project is there already. */
  compose?: string;
  project?: string;
  /** Grade a compose file that reaches the machine (privileged, host mounts...): read and accepted by the teacher. */
  allowHostAccess?: boolean;
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
/**
 * The grade's exit code from the scenarios and the verdicts: a failed check outranks a failed
 * claim, which outranks one not measured, which outranks one inconclusive. Claims whose scenario
 * was not part of the run do not count.
 */
export function gradeExitCode(report: {
  summary: { scenarios: { failed: number }; checks: { failed: number } };
  claims: Array<Pick<ClaimVerdict, 'status' | 'outOfRun'>>;
}): number {
  const s = report.summary;
  if (s.scenarios.failed > 0 || s.checks.failed > 0) return GRADE_EXIT.checksFailed;
  const inRun = report.claims.filter((c) => !c.outOfRun);
  if (inRun.some((c) => c.status === 'fails')) return GRADE_EXIT.claimsFailed;
  if (inRun.some((c) => c.status === 'not-measured')) return GRADE_EXIT.claimsNotMeasured;
  if (inRun.some((c) => c.status === 'inconclusive')) return GRADE_EXIT.claimsInconclusive;
  return GRADE_EXIT.passed;
}

export async function grade(options: GradeOptions): Promise<{ exitCode: number; runDir: string; summary: string }> {
  await selectScenarios(options.names);
  const claims = await loadClaims();
  // Every input checked before anything is started: a bad profile costs no lab.
  const profile = await loadProfile(options.profile);
  // A profile may name its deployment's URL: then there is no lab to bring up.
  const target = options.target ?? profile.url;
  const foreign = options.compose !== undefined || options.project !== undefined;
  const project = foreign ? await projectForGrade(options) : null;
  let lab: { runtime: Runtime; startedHere: boolean } | null = null;
  try {
    if (!target && !project) lab = await bringUp(options);
    const { results, path } = await runScenarios({
      names: options.names,
      lab: options.lab,
      target,
      profile: options.profile,
      project: project?.project,
      reportsDir: options.reportsDir,
    });
    const runDir = path.replace(/\/results\.json$/, '');
    const { report, written } = await writeReports(runDir, results, claims, FORMATS);
    const s = report.summary;
    const summary = `${s.scenarios.passed} scenarios passed, ${s.scenarios.failed} failed, ${s.scenarios.skipped} skipped; claims ${claimCounts(s.claims)}\nreports: ${written.join(', ')}`;
    const exitCode = gradeExitCode(report);
    return { exitCode, runDir, summary };
  } finally {
    if (lab?.startedHere) {
      process.stderr.write(`grade: taking lab ${options.lab} down\n`);
      await lab.runtime.down(options.lab, { volumes: true });
    }
    await project?.release();
  }
}
