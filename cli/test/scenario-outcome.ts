import type { RunResults, ScenarioResult } from '../src/scenarios/run-results.js';

/**
 * What the integration tests assert of a scenario: its correctness (every step passed, every check
 * that is not a load check held, no reason it stopped). A load check (a rate or latency of this
 * 2-core machine under load) is recorded with `loadReadings`, never asserted: it is what a grade
 * judges, and it varies from run to run on a shared machine.
 */
export function correctnessFailures(s: ScenarioResult): string[] {
  return [
    ...(s.reason ? [s.reason] : []),
    ...s.steps.flatMap((st) => (st.status === 'failed' ? [`${st.name}: ${st.failures.slice(0, 3).join('; ') || 'failed'}`] : [])),
    // A load check with no value at all (a metric renamed, a step that measured nothing) is no
    // measurement of speed: it fails here like any other.
    ...s.checks
      .filter((c) => !c.passed && !c.skipped && (!c.load || c.actual === null))
      .map((c) => `${c.metric} ${c.actual} ${c.op} ${c.expected} ${c.reason ?? ''}`),
  ];
}

const round = (n: number | null) => (n === null ? 'none' : Number(n.toPrecision(4)));

/** Every load check of a run as one line of measurement, held or not on this machine. */
export function loadReadings(results: RunResults): string[] {
  return results.scenarios.flatMap((s) =>
    s.checks
      .filter((c) => c.load)
      .map((c) => {
        const bound = c.than ? `${c.than} = ${round(c.expected)}` : `${round(c.expected)}`;
        return `${s.name} ${c.metric} = ${round(c.actual)} (${c.op} ${bound}: ${c.passed ? 'held' : 'not held'} on this machine)`;
      }),
  );
}

/** The load checks that did not hold: a scenario failed by these alone is correct, and slow here. */
export function loadChecksNotHeld(results: RunResults): number {
  return results.scenarios.reduce((n, s) => n + s.checks.filter((c) => c.load && !c.passed && !c.skipped).length, 0);
}
