import type { LabDescription, RunResults } from '../scenarios/run-results.js';

/** A way the measured deployment departs from w2meet's contract, found on the way. */
export interface Finding {
  kind: 'absent-route' | 'observation' | 'contract' | 'logs';
  /** The scenario and step it was found at, when one. */
  where?: string;
  text: string;
}

const OBSERVED: Record<'cache' | 'serverTime' | 'instance', { header: string; what: string; without: string }> = {
  cache: { header: 'X-Cache', what: 'the cache outcome', without: 'checks on it are skipped and claims on it not measured' },
  serverTime: {
    header: 'Server-Timing',
    what: "the service's own time",
    without: 'claims on server time read client time instead, and say so',
  },
  instance: { header: 'X-Instance', what: 'which replica answered', without: 'the spread over replicas is not measured' },
};

function observationFindings(lab: LabDescription): Finding[] {
  const p = lab.profile;
  if (!p) return [];
  const out: Finding[] = [];
  for (const key of ['cache', 'serverTime', 'instance'] as const) {
    const via = p[key];
    const o = OBSERVED[key];
    if (via === 'header') continue;
    out.push({
      kind: 'observation',
      text:
        via === 'log'
          ? `no ${o.header} header: ${o.what} is read from its log lines by Case-ID (${p.logs})`
          : `no ${o.header} header and nothing in the logs read: ${o.what} is not observed; ${o.without}`,
    });
  }
  return out;
}

/**
 * Every deviation from the contract a run met, separate from the claims: routes the profile says
 * are absent, what is observed other than by the contract's headers, each step whose answers did
 * not meet the contract, and answers whose log line was not found. A step skipped because an
 * earlier one failed is a consequence, not a finding, and is left out.
 */
export function targetFindings(results: RunResults): Finding[] {
  const p = results.lab.profile;
  const out: Finding[] = (p?.absentRoutes ?? []).map((route) => ({
    kind: 'absent-route' as const,
    text: `${route}: not served (profile ${p!.name}); the steps that use it are skipped`,
  }));
  out.push(...observationFindings(results.lab));
  for (const s of results.scenarios) {
    for (const step of s.steps) {
      const where = `${s.name}/${step.name}`;
      if (step.status === 'failed' && (step.kind === 'request' || step.kind === 'load')) {
        out.push({ kind: 'contract', where, text: step.failures[0] ?? 'did not meet its expectations' });
      }
      const unmatched = step.metrics['logs.unmatched'] ?? 0;
      if (unmatched > 0) {
        out.push({
          kind: 'logs',
          where,
          text: `${unmatched} of ${unmatched + (step.metrics['logs.matched'] ?? 0)} answers had no log line of the answering service with their Case-ID`,
        });
      }
    }
  }
  return out;
}
