import type { RunResults } from '../scenarios/run-results.js';
import { type Interval, medianInterval, ratioInterval } from './bootstrap.js';
import {
  describeDistribution,
  metricOf,
  OPS,
  effectiveRef,
  samplesOf,
  stepOf,
  unmetPrecondition,
  type Distribution,
  type Evidence,
} from './claim-evidence.js';
import { judgeReadings, readingsFinding, type ReadingResult } from './claim-readings.js';
import type { Claim } from './claim-types.js';
import { fmt, runToRunNote, testInWords, timesDocumented } from './claim-words.js';

/**
 * `holds`/`fails`: measured, and the whole interval is on one side. `inconclusive`: measured, but
 * undecided (the interval straddles the bound, too few samples, or what creates the claim's
 * situation did not happen). `not-measured`: the run holds no measurement of it at all.
 */
export type VerdictStatus = 'holds' | 'fails' | 'inconclusive' | 'not-measured';

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
  /** Not measured because its scenario was not part of this run (as opposed to skipped in it). */
  outOfRun: boolean;
  /** Samples behind the figure (the smaller side for a relation). */
  n: number | null;
  /** The measured figure: a median (ms), a ratio of medians, or a single value. */
  value: number | null;
  /** 95% bootstrap interval of `value`; null for single values and behaviours. */
  interval: { low: number; high: number } | null;
  /** Medians and p99s of the distributions involved, in ms. */
  distributions: Distribution[];
  /** The other readings of the same sentence, each with its ratio and interval. */
  readings: ReadingResult[];
  /** Where readings exist: which of them meet the test, the verdict's own included. */
  finding: string | null;
  documented: Claim['documented'] | null;
  /** "1.9 times faster than documented", when the claim has a documented figure in the same unit. */
  againstDocumented: string | null;
  /** For a bound on a median: the bound, drawn on the distribution's chart. */
  bound?: { op: string; value: number };
}

const DEFAULT_MIN_N = 30;

/** holds when the whole interval meets the test, fails when none of it does, else inconclusive. */
function judge(interval: { low: number; high: number }, op: keyof typeof OPS, bound: number): 'holds' | 'fails' | 'inconclusive' {
  const meets = OPS[op];
  if (meets(interval.low, bound) && meets(interval.high, bound)) return 'holds';
  if (!meets(interval.low, bound) && !meets(interval.high, bound)) return 'fails';
  return 'inconclusive';
}

/**
 * The interval a verdict is judged on: this run's sampling interval, widened by how much the
 * figure moves between runs of an unchanged lab (on the log scale, where both are spreads of a
 * positive figure: the two combine as independent errors). Without a measured run-to-run spread it
 * is this run's interval alone.
 */
export function verdictInterval(
  estimate: number,
  within: { low: number; high: number } | null,
  runToRun: Claim['run_to_run'],
): { low: number; high: number } {
  const z = 1.96;
  const seWithin = within && estimate > 0 && within.low > 0 ? Math.log(within.high / within.low) / (2 * z) : 0;
  if (!runToRun || estimate <= 0) return within ?? { low: estimate, high: estimate };
  const half = z * Math.sqrt(seWithin ** 2 + runToRun.sd ** 2);
  // Never narrower than this run's own (possibly lopsided) interval.
  return {
    low: Math.min(within?.low ?? estimate, estimate * Math.exp(-half)),
    high: Math.max(within?.high ?? estimate, estimate * Math.exp(half)),
  };
}

export { fmt } from './claim-words.js';

/** Turns one claim into a verdict on a run's results. */
export function judgeClaim(claim: Claim, results: RunResults): ClaimVerdict {
  const base: ClaimVerdict = {
    id: claim.id,
    kgs: claim.kgs,
    asWritten: claim.as_written,
    measuredAs: claim.measured_as,
    test: testInWords(claim),
    status: 'not-measured',
    reason: '',
    outOfRun: false,
    n: null,
    value: null,
    interval: null,
    distributions: [],
    readings: [],
    finding: null,
    documented: claim.documented ?? null,
    againstDocumented: null,
  };
  const verdict = measure(claim, results, base);
  if (verdict.status === 'not-measured') return verdict;
  // A measurement of a situation that never arose says nothing about the claim.
  const unmet = unmetPrecondition(results, claim.requires);
  if (unmet && verdict.status !== 'fails') return { ...verdict, status: 'inconclusive', reason: `${unmet}; ${verdict.reason}` };
  if (unmet)
    return { ...verdict, status: 'inconclusive', reason: `${unmet}, so the measurement does not speak to the claim (${verdict.reason})` };
  if (verdict.status === 'fails' && claim.limits) return { ...verdict, reason: `${verdict.reason}. ${claim.limits}` };
  return verdict;
}

/** The evidence's own verdict when there is no measurement: not measured, or (for a population that never occurred) `absentAs`. */
function missing(base: ClaimVerdict, e: Exclude<Evidence<unknown>, { value: unknown }>, absentAs: 'inconclusive' | 'fails'): ClaimVerdict {
  if ('notMeasured' in e) return { ...base, status: 'not-measured', reason: e.notMeasured, outOfRun: e.outOfRun ?? false };
  return { ...base, status: absentAs, reason: `no figure: ${e.absent}` };
}

function withReadings(claim: Claim, results: RunResults, label: string, estimate: number, meets: (ratio: number) => boolean) {
  const readings = judgeReadings(claim.readings ?? [], results);
  return { readings, finding: readingsFinding({ label: `the verdict's reading, ${label}`, estimate }, readings, meets) };
}

/** An interval estimate's verdict: inconclusive on too few samples, else judged on the interval widened by the drift between runs. */
function decide(claim: Claim, ci: Interval, n: number, minN: number, op: keyof typeof OPS, bound: number) {
  const few = n < minN;
  const widened = verdictInterval(ci.estimate, ci, claim.run_to_run);
  const status = few ? 'inconclusive' : judge(widened, op, bound);
  return { status, few, note: few ? '' : runToRunNote(claim, status, judge(ci, op, bound), widened) };
}

/** The test with each distribution as this run can read it (client time where no server time was seen). */
function withRefs(t: Claim['test'], results: RunResults): Claim['test'] {
  if (t.kind === 'bound') return { ...t, of: effectiveRef(results, t.of) };
  if (t.kind === 'relation') return { ...t, a: effectiveRef(results, t.a), b: effectiveRef(results, t.b) };
  return t;
}

function measure(claim: Claim, results: RunResults, base: ClaimVerdict): ClaimVerdict {
  const minN = claim.min_n ?? DEFAULT_MIN_N;
  const t = withRefs(claim.test, results);

  if (t.kind === 'bound') {
    const got = samplesOf(results, t.of);
    if (!('value' in got)) return missing(base, got, 'inconclusive');
    const ci = medianInterval(got.value);
    const d = describeDistribution(t.of, got.value);
    const { status, few, note } = decide(claim, ci, got.value.length, minN, t.op, t.value);
    return {
      ...base,
      bound: { op: t.op, value: t.value },
      status,
      reason: few
        ? `${got.value.length} samples, fewer than the ${minN} this claim needs`
        : `median ${fmt(ci.estimate)} ms, 95% interval ${fmt(ci.low)}-${fmt(ci.high)} ms, against ${t.op} ${t.value} ms${note}`,
      n: d.n,
      value: ci.estimate,
      interval: { low: ci.low, high: ci.high },
      distributions: [d],
      againstDocumented: claim.documented?.unit === 'ms' ? timesDocumented(ci.estimate, claim.documented.value) : null,
    };
  }

  if (t.kind === 'relation') {
    const a = samplesOf(results, t.a);
    const b = samplesOf(results, t.b);
    if (!('value' in a)) return missing(base, a, 'inconclusive');
    if (!('value' in b)) return missing(base, b, 'inconclusive');
    const ci = ratioInterval(a.value, b.value);
    const n = Math.min(a.value.length, b.value.length);
    const { status, few, note } = decide(claim, ci, n, minN, t.op, t.factor);
    return {
      ...base,
      status,
      reason: few
        ? `${n} samples on one side, fewer than the ${minN} this claim needs`
        : `ratio of medians ${ci.estimate.toFixed(2)}, 95% interval ${ci.low.toFixed(2)}-${ci.high.toFixed(2)}, against ${t.op} ${t.factor}${note}`,
      n,
      value: ci.estimate,
      interval: { low: ci.low, high: ci.high },
      distributions: [describeDistribution(t.a, a.value), describeDistribution(t.b, b.value)],
      ...withReadings(claim, results, t.a.label ?? t.a.step, ci.estimate, (r) => OPS[t.op](r, t.factor)),
      againstDocumented:
        claim.documented?.unit === 'ratio' ? `documented ratio ${claim.documented.value}, measured ${ci.estimate.toFixed(2)}` : null,
    };
  }

  if (t.kind === 'value') {
    const got = metricOf(results, t.scenario, t.metric);
    if (!('value' in got)) return missing(base, got, 'fails');
    const holds = OPS[t.op](got.value, t.value);
    return {
      ...base,
      status: holds ? 'holds' : 'fails',
      reason: `measured ${fmt(got.value)}, against ${t.op} ${t.value}`,
      value: got.value,
    };
  }

  if (t.kind === 'metric-ratio') {
    const a = metricOf(results, t.scenario, t.a);
    const b = metricOf(results, t.scenario, t.b);
    if (!('value' in a)) return missing(base, a, 'inconclusive');
    if (!('value' in b)) return missing(base, b, 'inconclusive');
    if (b.value <= 0) return { ...base, status: 'inconclusive', reason: `${t.b} was ${b.value}: no ratio to take` };
    const ratio = a.value / b.value;
    const widened = verdictInterval(ratio, null, claim.run_to_run);
    const status = judge(widened, t.op, t.factor);
    return {
      ...base,
      status,
      reason: `${fmt(a.value)} against ${fmt(b.value)}: ratio ${ratio.toFixed(2)}, against ${t.op} ${t.factor}${runToRunNote(claim, status, judge({ low: ratio, high: ratio }, t.op, t.factor), widened)}`,
      value: ratio,
    };
  }

  for (const name of t.steps) {
    const step = stepOf(results, t.scenario, name);
    if (!('value' in step)) return missing(base, step, 'fails');
    if (step.value.status !== 'passed')
      return { ...base, status: 'fails', reason: `step ${t.scenario}/${name}: ${step.value.failures[0] ?? step.value.status}` };
  }
  return { ...base, status: 'holds', reason: `all of ${t.steps.join(', ')} met their expectations` };
}
