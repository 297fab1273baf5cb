import type { LabDescription, RunResults, ScenarioStatus } from '../scenarios/run-results.js';
import type { Claim } from './claim-types.js';
import { judgeClaim, type ClaimVerdict } from './claim-verdict.js';
import { hopBreakdown, type TracedRequest } from './hop-breakdown.js';
import { scoreGoals, type GoalScore } from './kg-scorecard.js';
import { targetFindings, type Finding } from './target-findings.js';

/** The version of the report's JSON shape (`scenarios/report.schema.json`). */
export const REPORT_SCHEMA = 'w2meet-report/1';

export interface CheckLine {
  scenario: string;
  name: string;
  passed: boolean;
  /** Not run here: its step was skipped (what the target lacks, or an earlier step). Neither passed nor failed. */
  skipped?: boolean;
  detail: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  runId: string;
  generatedAt: string;
  lab: LabDescription;
  /** How this lab differs from the reference, so nobody mistakes one's figures for the other's. */
  differences: string[];
  summary: {
    scenarios: Record<ScenarioStatus, number>;
    checks: { passed: number; failed: number; skipped: number };
    claims: { holds: number; fails: number; inconclusive: number; notMeasured: number };
  };
  scenarios: Array<{ name: string; status: ScenarioStatus; reason: string | null; durationMs: number; kgs: string[] }>;
  /** Every expectation-bearing step and every check, each a line that passed or failed. */
  checks: CheckLine[];
  claims: ClaimVerdict[];
  /** How the measured deployment departs from the contract, found on the way. */
  findings: Finding[];
  scorecard: GoalScore[];
  traces: TracedRequest[];
}

const RUNTIME_NAMES: Record<string, string> = { docker: 'Docker', swarm: 'a Docker swarm', process: 'local processes' };

function differences(lab: LabDescription): string[] {
  const where =
    lab.kind === 'url'
      ? `measured against ${lab.gatewayUrl}, a deployment w2meet did not start${lab.project ? ` (compose project ${lab.project}: its faults and logs through the Engine)` : ''}${lab.profile && lab.profile.name !== 'w2meet' ? `, with profile ${lab.profile.name}` : ''}`
      : `the w2meet lab on ${RUNTIME_NAMES[lab.runtime ?? 'process'] ?? lab.runtime}${lab.nodes?.length ? ` (nodes: ${lab.nodes.join(', ')})` : ''}, replicas ${
          Object.entries(lab.replicas ?? {})
            .filter(([, n]) => n > 1)
            .map(([c, n]) => `${c} ${n}`)
            .join(', ') || 'one each'
        }`;
  const what =
    lab.kind === 'url'
      ? 'The reference system is Python (FastAPI) services; what this deployment runs is not known to w2meet: only its answers were measured.'
      : 'The reference system is Python (FastAPI) services; this lab runs the same contract as TypeScript (Fastify) services on Node.js.';
  return [
    what,
    `This run: ${where}, on ${lab.host.cpus} cores (${lab.host.cpuModel}), ${lab.host.memoryGiB} GiB, Node ${lab.host.node}, ${lab.host.platform} ${lab.host.release}.`,
    'The load generator shares the machine with the lab, so throughput figures are a floor and latencies include its own scheduling.',
    "The reference's figures come from a handful of requests in its own logs; a verdict here says whether the sentence holds for this lab, not what the reference measured.",
  ];
}

/** Everything a report shows, from a results file alone: a run can be re-reported at any time. */
export function buildReport(results: RunResults, claims: Claim[], now = new Date()): Report {
  const verdicts = claims.map((c) => judgeClaim(c, results));
  const checks: CheckLine[] = [];
  for (const s of results.scenarios) {
    for (const step of s.steps) {
      if (step.kind === 'fault' || step.kind === 'sql') continue;
      checks.push({
        scenario: s.name,
        name: `step ${step.name}`,
        passed: step.status === 'passed',
        ...(step.status === 'skipped' ? { skipped: true } : {}),
        detail: step.status === 'skipped' ? `skipped: ${step.reason ?? 'no reason given'}` : (step.failures[0] ?? 'met its expectations'),
      });
    }
    for (const c of s.checks) {
      const right = c.than ? `${c.than} (${c.expected ?? '-'})` : `${c.expected ?? '-'}`;
      checks.push({
        scenario: s.name,
        name: `check ${c.metric} ${c.op} ${c.than ?? c.expected}`,
        passed: c.passed,
        ...(c.skipped ? { skipped: true } : {}),
        detail: c.reason ?? `${c.actual} ${c.op} ${right}`,
      });
    }
  }
  const count = <T extends string>(values: T[], key: T) => values.filter((v) => v === key).length;
  const statuses = results.scenarios.map((s) => s.status);
  return {
    schema: REPORT_SCHEMA,
    runId: results.runId,
    generatedAt: now.toISOString(),
    lab: results.lab,
    differences: differences(results.lab),
    summary: {
      scenarios: { passed: count(statuses, 'passed'), failed: count(statuses, 'failed'), skipped: count(statuses, 'skipped') },
      checks: {
        passed: checks.filter((c) => c.passed).length,
        failed: checks.filter((c) => !c.passed && !c.skipped).length,
        skipped: checks.filter((c) => c.skipped).length,
      },
      claims: {
        holds: verdicts.filter((v) => v.status === 'holds').length,
        fails: verdicts.filter((v) => v.status === 'fails').length,
        inconclusive: verdicts.filter((v) => v.status === 'inconclusive').length,
        notMeasured: verdicts.filter((v) => v.status === 'not-measured').length,
      },
    },
    scenarios: results.scenarios.map((s) => ({
      name: s.name,
      status: s.status,
      reason: s.reason ?? null,
      durationMs: s.durationMs,
      kgs: s.kgs,
    })),
    checks,
    claims: verdicts,
    findings: targetFindings(results),
    scorecard: scoreGoals(results, verdicts),
    traces: hopBreakdown(results),
  };
}
