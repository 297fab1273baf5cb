import type { RunResults, ScenarioResult, StepResult } from '../scenarios/run-results.js';
import { median } from './bootstrap.js';
import type { HistogramRef, Precondition } from './claim-types.js';
import { histogramSamples } from './histogram-samples.js';

export const OPS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '==': (a: number, b: number) => a === b,
};

/**
 * What a run holds for a claim: the measurement, or why there is none. `not-measured`: its
 * scenario or step did not run here (skipped, not in the run, stopped before it). `absent`: the
 * step ran, but the population the claim names never occurred (no 404 answered: inconclusive) or
 * the single figure it reads is not there (no answers to spread over: the claim fails).
 */
export type Evidence<T> = { value: T } | { notMeasured: string; outOfRun?: boolean } | { absent: string };

function scenarioOf(results: RunResults, name: string): ScenarioResult | undefined {
  return results.scenarios.find((s) => s.name === name);
}

/** A step of the run, or why it is not there to read. */
export function stepOf(results: RunResults, scenario: string, step: string): Evidence<StepResult> {
  const s = scenarioOf(results, scenario);
  if (!s) return { notMeasured: `scenario ${scenario} was not in this run`, outOfRun: true };
  if (s.status === 'skipped') return { notMeasured: `scenario ${scenario} was skipped: ${s.reason ?? 'no reason given'}` };
  const found = s.steps.find((x) => x.name === step);
  if (!found) return { notMeasured: `step ${scenario}/${step} did not run${s.reason ? ` (${s.reason})` : ''}` };
  if (found.status === 'skipped') return { notMeasured: `step ${scenario}/${step} was skipped: ${found.reason ?? 'no reason given'}` };
  return { value: found };
}

/**
 * The distribution a claim reads on this run: where the deployment reports no time of its own (no
 * Server-Timing, no time in its logs), client time stands in for server time, and its label says so.
 */
export function effectiveRef(results: RunResults, ref: HistogramRef): HistogramRef {
  if (!ref.histogram.endsWith('.server') || results.lab.profile?.serverTime !== 'none') return ref;
  return {
    ...ref,
    histogram: ref.histogram.replace(/server$/, 'latency'),
    label: `${(ref.label ?? ref.step).replace(/server time/, 'client time')} (client time: the deployment reports no server time)`,
  };
}

/** The samples (ms) of one distribution. */
export function samplesOf(results: RunResults, ref: HistogramRef): Evidence<number[]> {
  const step = stepOf(results, ref.scenario, ref.step);
  if (!('value' in step)) return step;
  const encoded = step.value.histograms[ref.histogram];
  // A population named by its cache outcome cannot occur where the outcome is not seen at all.
  if (!encoded && ref.histogram.startsWith('cache.') && results.lab.profile?.cache === 'none') {
    return { notMeasured: "the deployment's cache outcome is not observed (no X-Cache header, and no log lines read for it)" };
  }
  if (!encoded) return { absent: `step ${ref.scenario}/${ref.step} recorded no ${ref.histogram} samples` };
  return { value: histogramSamples(encoded) };
}

/** A figure `step.metric` of a scenario. */
export function metricOf(results: RunResults, scenario: string, metric: string): Evidence<number> {
  const dot = metric.indexOf('.');
  const step = stepOf(results, scenario, metric.slice(0, dot));
  if (!('value' in step)) return step;
  const value = step.value.metrics[metric.slice(dot + 1)];
  // A figure that is not a finite number (no instances known, nothing counted) is no figure at all.
  if (value === undefined || value === null || !Number.isFinite(value)) return { absent: `${scenario} produced no ${metric}` };
  return { value };
}

export interface Distribution {
  label: string;
  ref: HistogramRef;
  n: number;
  /** The median as the verdict reads it: the mean of the two middle values of an even sample. */
  median: number;
  p99: number;
}

export function describeDistribution(ref: HistogramRef, samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    label: ref.label ?? `${ref.step} ${ref.histogram}`,
    ref,
    n: sorted.length,
    median: median(sorted),
    p99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!,
  };
}

/** The first precondition the run does not meet, in words; null when all are met. */
export function unmetPrecondition(results: RunResults, requires: Precondition[] = []): string | null {
  for (const p of requires) {
    if ('step' in p) {
      const step = stepOf(results, p.scenario, p.step);
      if (!('value' in step)) return `${p.what} did not happen: ${'notMeasured' in step ? step.notMeasured : step.absent}`;
      if (step.value.status !== 'passed')
        return `${p.what} did not happen: ${p.scenario}/${p.step} ${step.value.failures[0] ?? step.value.status}`;
    } else if ('fault' in p) {
      const scenario = results.scenarios.find((s) => s.name === p.scenario);
      const done = scenario?.faults.find((f) => !f.undo && f.verb === p.fault.verb && f.target === p.fault.target);
      if (!done) return `${p.what} did not happen: no ${p.fault.verb} of ${p.fault.target} in ${p.scenario}`;
      if (!done.ok) return `${p.what} did not happen: ${p.fault.verb} ${p.fault.target} failed (${done.error ?? 'no reason given'})`;
    } else {
      const got = metricOf(results, p.scenario, p.metric);
      if (!('value' in got)) return `${p.what} is not shown: ${'notMeasured' in got ? got.notMeasured : got.absent}`;
      if (!OPS[p.op](got.value, p.value)) return `${p.what} did not happen: ${p.metric} was ${got.value}, not ${p.op} ${p.value}`;
    }
  }
  return null;
}
