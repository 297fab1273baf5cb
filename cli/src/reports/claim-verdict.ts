import type { RunResults, ScenarioResult } from '../scenarios/run-results.js';
import { medianInterval, ratioInterval, type Interval } from './bootstrap.js';
import type { Claim, HistogramRef } from './claim-types.js';
import { histogramSamples } from './histogram-samples.js';

export type VerdictStatus = 'holds' | 'fails' | 'inconclusive';

export interface ClaimVerdict {
  id: string;
  kgs: string[];
  asWritten: string;
  measuredAs: string;
  /** The test in words: `median ≤ 2.5 ms`, `hit / miss < 1`. */
  test: string;
  status: VerdictStatus;
  /** Why, in one sentence. */
  reason: string;
  /** Samples behind the figure (the smaller side for a relation). */
  n: number | null;
  /** The measured figure: a median (ms), a ratio of medians, or a single value. */
  value: number | null;
  /** 95% bootstrap interval of `value`; null for single values and behaviours. */
  interval: { low: number; high: number } | null;
  /** Medians and p99s of the distributions involved, in ms. */
  distributions: Array<{ label: string; ref: HistogramRef; n: number; median: number; p99: number }>;
  documented: Claim['documented'] | null;
  /** "1.9 times faster than documented", when the claim has a documented figure in the same unit. */
  againstDocumented: string | null;
}

const DEFAULT_MIN_N = 30;
const OPS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '==': (a: number, b: number) => a === b,
};

function scenarioOf(results: RunResults, name: string): ScenarioResult | undefined {
  return results.scenarios.find((s) => s.name === name);
}

/** The samples of one distribution, or why there are none. */
function samplesOf(results: RunResults, ref: HistogramRef): { samples: number[] } | { missing: string } {
  const scenario = scenarioOf(results, ref.scenario);
  if (!scenario) return { missing: `scenario ${ref.scenario} was not run` };
  if (scenario.status === 'skipped') return { missing: `scenario ${ref.scenario} was skipped: ${scenario.reason}` };
  const step = scenario.steps.find((s) => s.name === ref.step);
  if (!step) return { missing: `step ${ref.scenario}/${ref.step} did not run` };
  const encoded = step.histograms[ref.histogram];
  if (!encoded) return { missing: `step ${ref.scenario}/${ref.step} recorded no ${ref.histogram} samples` };
  return { samples: histogramSamples(encoded) };
}

function describeDistribution(ref: HistogramRef, samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    label: ref.label ?? `${ref.step} ${ref.histogram}`,
    ref,
    n: sorted.length,
    median: sorted[Math.floor((sorted.length - 1) / 2)]!,
    p99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!,
  };
}

/** holds when the whole interval meets the test, fails when none of it does, else inconclusive. */
function judge(interval: Interval, op: keyof typeof OPS, bound: number): VerdictStatus {
  const meets = OPS[op];
  if (meets(interval.low, bound) && meets(interval.high, bound)) return 'holds';
  if (!meets(interval.low, bound) && !meets(interval.high, bound)) return 'fails';
  return 'inconclusive';
}

function timesDocumented(measured: number, documented: number): string {
  if (measured <= 0 || documented <= 0) return '';
  const ratio = documented / measured;
  return ratio >= 1 ? `${ratio.toFixed(1)} times faster than documented` : `${(1 / ratio).toFixed(1)} times slower than documented`;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));

/** Turns one claim into a verdict on a run's results. A claim with no samples fails and says why. */
export function judgeClaim(claim: Claim, results: RunResults): ClaimVerdict {
  const base = {
    id: claim.id,
    kgs: claim.kgs,
    asWritten: claim.as_written,
    measuredAs: claim.measured_as,
    documented: claim.documented ?? null,
    againstDocumented: null as string | null,
    n: null as number | null,
    value: null as number | null,
    interval: null as ClaimVerdict['interval'],
    distributions: [] as ClaimVerdict['distributions'],
  };
  const minN = claim.min_n ?? DEFAULT_MIN_N;
  const t = claim.test;
  const fail = (test: string, reason: string): ClaimVerdict => ({ ...base, test, status: 'fails', reason });

  if (t.kind === 'bound') {
    const test = `median ${t.op} ${t.value} ms`;
    const got = samplesOf(results, t.of);
    if ('missing' in got) return fail(test, `no samples: ${got.missing}`);
    const ci = medianInterval(got.samples);
    const d = describeDistribution(t.of, got.samples);
    const status = got.samples.length < minN ? 'inconclusive' : judge(ci, t.op, t.value);
    const reason =
      got.samples.length < minN
        ? `${got.samples.length} samples, fewer than the ${minN} this claim needs`
        : `median ${fmt(ci.estimate)} ms, 95% interval ${fmt(ci.low)}-${fmt(ci.high)} ms, against ${t.op} ${t.value} ms`;
    const against = claim.documented?.unit === 'ms' ? timesDocumented(ci.estimate, claim.documented.value) : null;
    return {
      ...base,
      test,
      status,
      reason,
      n: d.n,
      value: ci.estimate,
      interval: { low: ci.low, high: ci.high },
      distributions: [d],
      againstDocumented: against,
    };
  }

  if (t.kind === 'relation') {
    const test = `${t.a.label ?? t.a.step} / ${t.b.label ?? t.b.step} ${t.op} ${t.factor}`;
    const a = samplesOf(results, t.a);
    const b = samplesOf(results, t.b);
    if ('missing' in a) return fail(test, `no samples: ${a.missing}`);
    if ('missing' in b) return fail(test, `no samples: ${b.missing}`);
    const ci = ratioInterval(a.samples, b.samples);
    const n = Math.min(a.samples.length, b.samples.length);
    const status = n < minN ? 'inconclusive' : judge(ci, t.op, t.factor);
    const reason =
      n < minN
        ? `${n} samples on one side, fewer than the ${minN} this claim needs`
        : `ratio of medians ${ci.estimate.toFixed(2)}, 95% interval ${ci.low.toFixed(2)}-${ci.high.toFixed(2)}, against ${t.op} ${t.factor}`;
    const against =
      claim.documented?.unit === 'ratio' ? `documented ratio ${claim.documented.value}, measured ${ci.estimate.toFixed(2)}` : null;
    return {
      ...base,
      test,
      status,
      reason,
      n,
      value: ci.estimate,
      interval: { low: ci.low, high: ci.high },
      distributions: [describeDistribution(t.a, a.samples), describeDistribution(t.b, b.samples)],
      againstDocumented: against,
    };
  }

  const scenario = scenarioOf(results, t.scenario);
  if (t.kind === 'value') {
    const test = `${t.metric} ${t.op} ${t.value}`;
    if (!scenario || scenario.status === 'skipped')
      return fail(test, `no figure: scenario ${t.scenario} ${scenario ? `was skipped: ${scenario.reason}` : 'was not run'}`);
    const dot = t.metric.indexOf('.');
    const value = scenario.steps.find((s) => s.name === t.metric.slice(0, dot))?.metrics[t.metric.slice(dot + 1)];
    if (value === undefined) return fail(test, `no figure: ${t.scenario} produced no ${t.metric}`);
    const holds = OPS[t.op](value, t.value);
    return { ...base, test, status: holds ? 'holds' : 'fails', reason: `measured ${fmt(value)}, against ${t.op} ${t.value}`, value };
  }

  const test = `${t.steps.length} steps meet their expectations`;
  if (!scenario || scenario.status === 'skipped')
    return fail(test, `not shown: scenario ${t.scenario} ${scenario ? `was skipped: ${scenario.reason}` : 'was not run'}`);
  for (const name of t.steps) {
    const step = scenario.steps.find((s) => s.name === name);
    if (!step) return fail(test, `step ${t.scenario}/${name} did not run`);
    if (step.status !== 'passed') return fail(test, `step ${t.scenario}/${name}: ${step.failures[0] ?? step.status}`);
  }
  return { ...base, test, status: 'holds', reason: `all of ${t.steps.join(', ')} met their expectations` };
}
