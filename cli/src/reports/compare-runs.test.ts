import { describe, expect, it } from 'vitest';
import { compareLatencies, labDifferences, MIN_SAMPLES, renderComparison } from './compare-runs.js';
import { encoded, results, step } from './test-results.js';

const run = (latencyMs: number, server: number, n = 400) =>
  results([
    step('many', {
      histograms: { latency: encoded(n, latencyMs, 5), server: encoded(n, server, 6), 'status.200.latency': encoded(n, latencyMs, 7) },
    }),
    step('one-request', { histograms: { latency: encoded(1, latencyMs) } }),
  ]);

describe('comparing two runs', () => {
  it('leaves out a distribution with too few samples: one request has no interval to speak of', () => {
    const changes = compareLatencies(run(1, 0.5), run(3, 0.5));
    expect(changes.map((c) => c.name)).toEqual(['sc/many latency', 'sc/many server']);
    expect(changes.every((c) => c.n.before >= MIN_SAMPLES)).toBe(true);
  });

  it('reads server time too, and calls a change a regression only beyond the drift between runs', () => {
    const slower = compareLatencies(run(1, 1), run(1.3, 2.5));
    const latency = slower.find((c) => c.name === 'sc/many latency')!;
    const server = slower.find((c) => c.name === 'sc/many server')!;
    // 30% slower with tight intervals inside each run: within what two unchanged runs differ by. Server
    // time 2.5 times slower is beyond it.
    expect(latency.ratio.low).toBeGreaterThan(1);
    expect(latency.regression).toBe(false);
    expect(server.regression).toBe(true);
    expect(compareLatencies(run(1, 2.5), run(1, 1)).find((c) => c.name === 'sc/many server')!.improvement).toBe(true);
    // A quieter machine can ask for less.
    expect(compareLatencies(run(1, 1), run(1.3, 1), 0.2).find((c) => c.name === 'sc/many latency')!.regression).toBe(true);
  });

  it('says first when the two labs differ', () => {
    const before = run(1, 1);
    const after = run(1, 1);
    after.lab = { ...after.lab, runtime: 'docker', replicas: { 'availability-service': 3 }, host: { ...after.lab.host, cpus: 8 } };
    const labs = labDifferences(before.lab, after.lab);
    expect(labs).toEqual([
      'measured on the process lab x, then on the docker lab x',
      'replicas {}, then {"availability-service":3}',
      expect.stringMatching(/^host 2 cores .* then 8 cores/),
    ]);
    const text = renderComparison('a', 'b', labs, compareLatencies(before, after), []);
    expect(text.indexOf('not made on the same lab')).toBeLessThan(text.indexOf('| median |'));
    expect(labDifferences(before.lab, run(2, 2).lab)).toEqual([]);
  });
});
