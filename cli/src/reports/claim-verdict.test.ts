import { describe, expect, it } from 'vitest';
import type { Claim } from './claim-types.js';
import { judgeClaim, verdictInterval } from './claim-verdict.js';
import { encoded, results, step } from './test-results.js';

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

  it('reads client time where the deployment reports no server time, and says so; a cache population it cannot see is not measured', () => {
    const noServerTime = results([step('hits', { histograms: { 'cache.HIT.latency': encoded(400, 1) } })]);
    const profile = {
      name: 'p',
      source: 'built-in',
      cache: 'log',
      serverTime: 'none',
      instance: 'none',
      logs: null,
      absentRoutes: [],
    } as const;
    noServerTime.lab.profile = { ...profile, absentRoutes: [] };
    const onCache = {
      ...bound(2.5),
      test: { ...bound(2.5).test, of: { scenario: 'sc', step: 'hits', histogram: 'cache.HIT.server' } },
    } as Claim;
    const read = judgeClaim(onCache, noServerTime);
    expect(read.status).toBe('holds');
    expect(read.distributions[0]!.label).toContain('(client time: the deployment reports no server time)');
    // Where the outcome is not seen at all, no answer is filed under a cache outcome.
    const unseen = results([step('hits', { histograms: { latency: encoded(400, 1) } })]);
    unseen.lab.profile = { ...profile, cache: 'none', absentRoutes: [] };
    expect(judgeClaim(onCache, unseen)).toMatchObject({
      status: 'not-measured',
      reason: expect.stringContaining('cache outcome is not observed'),
    });
  });

  it('is not measured when its scenario or step did not run, and inconclusive when the step ran without the population it names', () => {
    expect(judgeClaim(bound(2.5), results([step('other')]))).toMatchObject({
      status: 'not-measured',
      reason: 'step sc/hits did not run',
      outOfRun: false,
    });
    expect(judgeClaim(bound(2.5), results([step('hits')]))).toMatchObject({
      status: 'inconclusive',
      reason: 'no figure: step sc/hits recorded no server samples',
    });
    expect(judgeClaim(bound(2.5), results([], 'skipped'))).toMatchObject({
      status: 'not-measured',
      reason: 'scenario sc was skipped: needs faults',
    });
    const elsewhere = {
      ...bound(2.5),
      test: { ...bound(2.5).test, of: { scenario: 'other', step: 'hits', histogram: 'server' } },
    } as Claim;
    expect(judgeClaim(elsewhere, hits)).toMatchObject({
      status: 'not-measured',
      outOfRun: true,
      reason: 'scenario other was not in this run',
    });
  });

  it('reads the median as the mean of the two middle values, the same figure the verdict uses', () => {
    const v = judgeClaim(bound(2.5), hits);
    expect(v.distributions[0]!.median).toBe(v.value);
  });

  it('is inconclusive, never held, when what creates its situation did not happen', () => {
    const burst = (accepted: number, faultOk: boolean) => {
      const r = results([step('through-faults', { kind: 'burst', metrics: { accepted, lost: 0 } })]);
      r.scenarios[0]!.faults = [
        { verb: 'restart', target: 'rabbitmq', atMs: 1, undo: false, ok: faultOk, error: faultOk ? undefined : 'exit 1' },
      ];
      return r;
    };
    const noLoss: Claim = {
      id: 'no-loss',
      kgs: [],
      as_written: '',
      measured_as: '',
      requires: [
        { scenario: 'sc', metric: 'through-faults.accepted', op: '>', value: 0, what: 'jobs were accepted' },
        { scenario: 'sc', fault: { verb: 'restart', target: 'rabbitmq' }, what: 'RabbitMQ was restarted' },
      ],
      test: { kind: 'value', scenario: 'sc', metric: 'through-faults.lost', op: '==', value: 0 },
    };
    expect(judgeClaim(noLoss, burst(100, true)).status).toBe('holds');
    expect(judgeClaim(noLoss, burst(0, true))).toMatchObject({
      status: 'inconclusive',
      reason: expect.stringMatching(/^jobs were accepted did not happen: through-faults.accepted was 0/),
    });
    expect(judgeClaim(noLoss, burst(100, false))).toMatchObject({
      status: 'inconclusive',
      reason: expect.stringMatching(/^RabbitMQ was restarted did not happen: restart rabbitmq failed \(exit 1\)/),
    });
    const failover: Claim = {
      ...noLoss,
      requires: [{ scenario: 'sc', step: 'kill-replica', what: 'a replica was killed' }],
      test: { kind: 'steps', scenario: 'sc', steps: ['through-faults'] },
    };
    expect(judgeClaim(failover, burst(100, true))).toMatchObject({
      status: 'inconclusive',
      reason: expect.stringMatching(/^a replica was killed did not happen: step sc\/kill-replica did not run/),
    });
  });

  it('fails a figure that is not there (no answers, no replica known), instead of reading it as even', () => {
    const spread: Claim = {
      id: 'lb',
      kgs: [],
      as_written: '',
      measured_as: '',
      test: { kind: 'value', scenario: 'sc', metric: 'spread.instances.spread', op: '<=', value: 0.1 },
    };
    expect(judgeClaim(spread, results([step('spread', { metrics: { count: 0 } })]))).toMatchObject({
      status: 'fails',
      reason: 'no figure: sc produced no spread.instances.spread',
    });
    expect(judgeClaim(spread, results([step('spread', { metrics: { 'instances.spread': null as unknown as number } })])).status).toBe(
      'fails',
    );
  });

  it('judges a ratio of two figures, and says what limits it where it does not hold', () => {
    const scaling: Claim = {
      id: 'scaling',
      kgs: [],
      as_written: '',
      measured_as: '',
      limits: 'The suggestion calls limit the drain',
      test: { kind: 'metric-ratio', scenario: 'sc', a: 'two.drain', b: 'one.drain', op: '>=', factor: 1.2 },
    };
    const drains = (two: number) => results([step('one', { metrics: { drain: 160 } }), step('two', { metrics: { drain: two } })]);
    expect(judgeClaim(scaling, drains(300)).status).toBe('holds');
    expect(judgeClaim(scaling, drains(153))).toMatchObject({
      status: 'fails',
      reason: expect.stringMatching(/ratio 0.96, against >= 1.2. The suggestion calls limit the drain$/),
    });
  });

  it('measures every reading of a relation and says which of them meet the test', () => {
    const r = results([
      step('a-warm', { histograms: { server: encoded(400, 3) } }),
      step('b-warm', { histograms: { server: encoded(400, 2, 2) } }),
      step('a-cold', { histograms: { server: encoded(400, 3, 3) } }),
      step('b-cold', { histograms: { server: encoded(400, 4, 4) } }),
    ]);
    const ref = (s: string) => ({ scenario: 'sc', step: s, histogram: 'server' });
    const claim: Claim = {
      id: 'err',
      kgs: [],
      as_written: '',
      measured_as: '',
      test: { kind: 'relation', a: ref('a-warm'), b: ref('b-warm'), op: '<', factor: 1 },
      readings: [{ label: 'cold', a: ref('a-cold'), b: ref('b-cold'), note: 'both sides miss' }],
    };
    const v = judgeClaim(claim, r);
    expect(v.status).toBe('fails');
    expect(v.readings[0]!.ratio!.estimate).toBeCloseTo(0.75, 1);
    expect(v.finding).toMatch(/^The readings disagree: cold \(0.7\d\) meet the test; the verdict's reading, a-warm \(1.[45]\d\) do not.$/);
  });

  it('widens the interval by the drift between runs, so a verdict near its bound is inconclusive and says why', () => {
    // The median is about 1 ms: within this run's interval it clearly meets <= 1.3 ms.
    expect(judgeClaim(bound(1.3), hits).status).toBe('holds');
    const drifting = { ...bound(1.3), run_to_run: { sd: 0.19, measured: 'three grades gave 0.9, 1.0, 1.3' } };
    const v = judgeClaim(drifting, hits);
    expect(v.status).toBe('inconclusive');
    expect(v.reason).toMatch(
      /this run alone says it holds, but two runs of an unchanged lab differ by this much \(three grades gave 0.9, 1.0, 1.3\): across runs 0.6\d\d-1.4\d\d$/,
    );
    // Far from its bound it is decided all the same.
    expect(judgeClaim({ ...drifting, test: { ...drifting.test, value: 2.5 } } as Claim, hits).status).toBe('holds');
  });

  it("never judges on an interval narrower than the run's own, however small the drift", () => {
    const w = { low: 0.8, high: 1.5 };
    const widened = verdictInterval(1, w, { sd: 0.01, measured: '' });
    expect(widened.low).toBeLessThanOrEqual(0.8);
    expect(widened.high).toBeGreaterThanOrEqual(1.5);
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
