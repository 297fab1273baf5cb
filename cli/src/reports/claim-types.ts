/** One latency distribution of a run: the raw histogram a scenario step kept. */
export interface HistogramRef {
  scenario: string;
  step: string;
  histogram: string;
  label?: string;
}

export type Op = '<' | '<=' | '>' | '>=';

export type ClaimTest =
  | { kind: 'bound'; of: HistogramRef; op: Op; value: number }
  | { kind: 'relation'; a: HistogramRef; b: HistogramRef; op: Op; factor: number }
  | { kind: 'value'; scenario: string; metric: string; op: Op | '=='; value: number }
  | { kind: 'metric-ratio'; scenario: string; a: string; b: string; op: Op; factor: number; label?: string }
  | { kind: 'steps'; scenario: string; steps: string[] };

/**
 * What has to have happened for a claim's situation to exist: a step that passed (a fault that
 * took effect), or a figure of the run (jobs accepted). Without it the claim is inconclusive.
 */
export type Precondition =
  | { scenario: string; step: string; what: string }
  | { scenario: string; metric: string; op: Op | '=='; value: number; what: string }
  | { scenario: string; fault: { verb: string; target: string }; what: string };

/** Another reading of a relation claim's sentence, measured and shown beside the verdict's own. */
export interface Reading {
  label: string;
  a: HistogramRef;
  b: HistogramRef;
  /** What the two sides do, in words: their cache state, their time (client or server). */
  note: string;
}

export interface Claim {
  id: string;
  kgs: string[];
  as_written: string;
  documented?: { value: number; unit: string; note?: string; source?: string };
  measured_as: string;
  /** @default 30 */
  min_n?: number;
  requires?: Precondition[];
  /** Further readings of a relation; the verdict is on `test`, the one closest to the document's. */
  readings?: Reading[];
  /** What limits the figure where the claim does not hold, for the report to say. */
  limits?: string;
  /**
   * How much the figure moves between two runs of an unchanged lab: the standard deviation of its
   * logarithm over repeated grades (`npm run bench:grade`). The verdict's interval is widened by
   * it, so a verdict near its bound is inconclusive rather than decided by one run's luck.
   */
  run_to_run?: { sd: number; measured: string };
  test: ClaimTest;
}

/** Every scenario a claim's test reads. */
export function scenariosOf(claim: Claim): string[] {
  const t = claim.test;
  const own = t.kind === 'bound' ? [t.of.scenario] : t.kind === 'relation' ? [t.a.scenario, t.b.scenario] : [t.scenario];
  return [...new Set(own)];
}

/** Every step a claim names (its test, its preconditions, its readings), for checking the claims file against the scenarios. */
export function stepsOf(claim: Claim): Array<{ scenario: string; step: string }> {
  const t = claim.test;
  const refs: Array<{ scenario: string; step: string }> = [];
  const metricStep = (scenario: string, metric: string) => refs.push({ scenario, step: metric.slice(0, metric.indexOf('.')) });
  if (t.kind === 'bound') refs.push(t.of);
  if (t.kind === 'relation') refs.push(t.a, t.b);
  if (t.kind === 'value') metricStep(t.scenario, t.metric);
  if (t.kind === 'metric-ratio') {
    metricStep(t.scenario, t.a);
    metricStep(t.scenario, t.b);
  }
  if (t.kind === 'steps') for (const step of t.steps) refs.push({ scenario: t.scenario, step });
  for (const p of claim.requires ?? []) {
    if ('step' in p) refs.push(p);
    else if ('metric' in p) metricStep(p.scenario, p.metric);
  }
  for (const r of claim.readings ?? []) refs.push(r.a, r.b);
  return refs.map(({ scenario, step }) => ({ scenario, step }));
}
