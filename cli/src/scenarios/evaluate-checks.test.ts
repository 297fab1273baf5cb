import { describe, expect, it } from 'vitest';
import { evaluateCheck } from './evaluate-checks.js';
import type { StepResult } from './run-results.js';

const step = (name: string, metrics: Record<string, number>, status: StepResult['status'] = 'passed'): StepResult => ({
  name,
  kind: 'request',
  phase: 'steps',
  status,
  startedMs: 0,
  durationMs: 1,
  metrics,
  histograms: {},
  series: {},
  failures: [],
});

const steps = new Map([
  ['hits', step('hits', { 'latency.p50': 0.4, 'cache.HIT.ratio': 1, count: 300 })],
  ['misses', step('misses', { 'latency.p50': 0.9, count: 300 })],
  ['skipped', step('skipped', {}, 'skipped')],
]);

describe('evaluateCheck', () => {
  it('marks a check of the machine under load as such, passed or not, and leaves the others unmarked', () => {
    const load = evaluateCheck({ metric: 'hits.latency.p50', op: '<', than: 'misses.latency.p50', load: true }, steps);
    expect(load).toMatchObject({ passed: true, load: true });
    expect(evaluateCheck({ metric: 'misses.latency.p50', op: '<', than: 'hits.latency.p50', load: true }, steps)).toMatchObject({
      passed: false,
      load: true,
    });
    expect(evaluateCheck({ metric: 'hits.cache.HIT.ratio', op: '==', value: 1 }, steps)).not.toHaveProperty('load');
  });

  it('compares a metric with a value', () => {
    expect(evaluateCheck({ metric: 'hits.cache.HIT.ratio', op: '==', value: 1 }, steps)).toMatchObject({
      passed: true,
      actual: 1,
      expected: 1,
    });
    expect(evaluateCheck({ metric: 'hits.latency.p50', op: '>', value: 1 }, steps)).toMatchObject({ passed: false, actual: 0.4 });
  });

  it('compares a metric with another metric times a factor', () => {
    expect(evaluateCheck({ metric: 'hits.latency.p50', op: '<', than: 'misses.latency.p50' }, steps)).toMatchObject({
      passed: true,
      expected: 0.9,
    });
    expect(evaluateCheck({ metric: 'hits.latency.p50', op: '<', than: 'misses.latency.p50', factor: 0.25 }, steps)).toMatchObject({
      passed: false,
      expected: 0.225,
    });
  });

  it('counts an outcome that never happened as zero', () => {
    expect(evaluateCheck({ metric: 'hits.status.5xx.count', op: '==', value: 0 }, steps)).toMatchObject({ passed: true, actual: 0 });
  });

  it('fails, saying why, when a metric has no value; a skipped step skips its checks instead', () => {
    expect(evaluateCheck({ metric: 'hits.server.p50', op: '<', value: 5 }, steps)).toMatchObject({
      passed: false,
      actual: null,
      reason: 'step "hits" produced no samples for server.p50',
    });
    expect(evaluateCheck({ metric: 'skipped.count', op: '>', value: 0 }, steps)).toMatchObject({
      passed: false,
      skipped: true,
      reason: 'step "skipped" was skipped: no reason given',
    });
    expect(evaluateCheck({ metric: 'later.count', op: '>', value: 0 }, steps)).toMatchObject({
      passed: false,
      reason: 'step "later" did not run',
    });
    expect(evaluateCheck({ metric: 'hits.count', op: '<', than: 'misses.server.p50' }, steps)).toMatchObject({
      passed: false,
      expected: null,
    });
  });
});

describe('checks on what a deployment does not let anyone see', () => {
  it('are skipped with the reason, not counted as zero or failed', () => {
    const steps = new Map([['hits', { name: 'hits', status: 'passed', metrics: { count: 10 } } as unknown as StepResult]]);
    const unobserved = (metric: string) => (metric.startsWith('cache.') ? 'the cache outcome is not observed' : null);
    expect(evaluateCheck({ metric: 'hits.cache.HIT.ratio', op: '==', value: 1 }, steps, unobserved)).toMatchObject({
      passed: false,
      skipped: true,
      reason: 'the cache outcome is not observed',
    });
    // Without that knowledge a missing count is zero, as on w2meet's own labs.
    expect(evaluateCheck({ metric: 'hits.cache.HIT.ratio', op: '==', value: 1 }, steps)).toMatchObject({ passed: false, actual: 0 });
  });
});
