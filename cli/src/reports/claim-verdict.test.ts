import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../scenarios/latency-histogram.js';
import type { RunResults, ScenarioResult, StepResult } from '../scenarios/run-results.js';
import { seededRandom } from './bootstrap.js';
import type { Claim } from './claim-types.js';
import { judgeClaim } from './claim-verdict.js';

/** n samples around a median: uniform on [0.8m, 1.2m], seeded. */
function encoded(n: number, medianMs: number, seed = 1): string {
  const random = seededRandom(seed);
  const h = new LatencyHistogram();
  for (let i = 0; i < n; i++) h.recordMs(medianMs * (0.8 + 0.4 * random()));
  return h.encode();
}

const step = (name: string, over: Partial<StepResult> = {}): StepResult => ({
  name,
  kind: 'request',
  phase: 'steps',
  status: 'passed',
  startedMs: 0,
  durationMs: 1,
  metrics: {},
  histograms: {},
  series: {},
  failures: [],
  ...over,
});

function results(steps: StepResult[], status: ScenarioResult['status'] = 'passed'): RunResults {
  return {
    schema: 'w2meet-results/1',
    runId: 'r',
    startedAt: '',
    endedAt: '',
    passed: true,
    lab: {
      kind: 'lab',
      gatewayUrl: 'http://127.0.0.1:1',
      lab: 'x',
      runtime: 'process',
      w2meetVersion: '0',
      host: { platform: 'linux', release: '', cpus: 2, cpuModel: '', memoryGiB: 1, node: 'v20' },
    },
    scenarios: [
      {
        name: 'sc',
        description: '',
        kgs: ['KG8'],
        claims: [],
        file: '',
        status,
        reason: status === 'skipped' ? 'needs faults' : undefined,
        startedAt: '',
        durationMs: 1,
        steps,
        checks: [],
        faults: [],
      },
    ],
  };
}

const bound = (value: number, minN?: number): Claim => ({
  id: 'hit',
  kgs: ['KG8'],
  as_written: '2.5 ms',
  measured_as: 'hits',
  documented: { value: 2.5, unit: 'ms' },
  min_n: minN,
  test: { kind: 'bound', of: { scenario: 'sc', step: 'hits', histogram: 'server' }, op: '<=', value },
});

describe('judgeClaim', () => {
  const hits = results([
    step('hits', { histograms: { server: encoded(400, 1) } }),
    step('misses', { histograms: { server: encoded(400, 2, 2) } }),
  ]);

  it('holds when the whole interval of the median meets the bound, and says how it compares with the document', () => {
    const v = judgeClaim(bound(2.5), hits);
    expect(v).toMatchObject({ status: 'holds', n: 400, againstDocumented: '2.5 times faster than documented' });
    expect(v.interval!.low).toBeLessThan(1);
    expect(v.interval!.high).toBeGreaterThan(1);
  });

  it('fails when none of the interval meets it, and is inconclusive when the interval straddles it', () => {
    expect(judgeClaim(bound(0.5), hits).status).toBe('fails');
    expect(judgeClaim(bound(1.0), hits).status).toBe('inconclusive');
  });

  it("is inconclusive below the claim's minimum number of samples", () => {
    expect(judgeClaim(bound(2.5, 1000), hits)).toMatchObject({
      status: 'inconclusive',
      reason: '400 samples, fewer than the 1000 this claim needs',
    });
  });

  it('judges a relation by the interval of the ratio of medians', () => {
    const relation = (factor: number): Claim => ({
      id: 'helps',
      kgs: [],
      as_written: '',
      measured_as: '',
      test: {
        kind: 'relation',
        a: { scenario: 'sc', step: 'hits', histogram: 'server' },
        b: { scenario: 'sc', step: 'misses', histogram: 'server' },
        op: '<',
        factor,
      },
    });
    expect(judgeClaim(relation(1), hits)).toMatchObject({ status: 'holds' });
    expect(judgeClaim(relation(1), hits).value).toBeCloseTo(0.5, 1);
    expect(judgeClaim(relation(0.3), hits).status).toBe('fails');
  });

  it('fails a claim with no samples, saying why', () => {
    expect(judgeClaim(bound(2.5), results([step('other')]))).toMatchObject({
      status: 'fails',
      reason: 'no samples: step sc/hits did not run',
    });
    expect(judgeClaim(bound(2.5), results([step('hits')]))).toMatchObject({
      status: 'fails',
      reason: 'no samples: step sc/hits recorded no server samples',
    });
    expect(judgeClaim(bound(2.5), results([], 'skipped')).reason).toBe('no samples: scenario sc was skipped: needs faults');
  });

  it('judges single figures and behaviours', () => {
    const r = results([
      step('spread', { metrics: { 'instances.spread': 0.02 } }),
      step('bad', { status: 'failed', failures: ['status 500, expected 502'] }),
    ]);
    const value = (v: number): Claim => ({
      id: 'lb',
      kgs: [],
      as_written: '',
      measured_as: '',
      test: { kind: 'value', scenario: 'sc', metric: 'spread.instances.spread', op: '<=', value: v },
    });
    expect(judgeClaim(value(0.1), r).status).toBe('holds');
    expect(judgeClaim(value(0.01), r).status).toBe('fails');
    const steps = (names: string[]): Claim => ({
      id: 'st',
      kgs: [],
      as_written: '',
      measured_as: '',
      test: { kind: 'steps', scenario: 'sc', steps: names },
    });
    expect(judgeClaim(steps(['spread']), r).status).toBe('holds');
    expect(judgeClaim(steps(['spread', 'bad']), r)).toMatchObject({ status: 'fails', reason: 'step sc/bad: status 500, expected 502' });
  });
});
