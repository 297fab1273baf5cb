import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../scenarios/latency-histogram.js';
import { median, medianInterval, ratioInterval, seededRandom } from './bootstrap.js';
import { histogramSamples } from './histogram-samples.js';

/** A known distribution: exponential with the given median, drawn from a seeded generator. */
function exponential(n: number, medianMs: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => (-Math.log(1 - random()) * medianMs) / Math.LN2);
}

describe('bootstrap intervals', () => {
  it('covers the true median of a known distribution, and narrows as n grows', () => {
    const small = medianInterval(exponential(100, 2, 7));
    const large = medianInterval(exponential(5000, 2, 7));
    expect(large.low).toBeLessThan(2);
    expect(large.high).toBeGreaterThan(2);
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 3);
    expect(large.estimate).toBeCloseTo(2, 0);
  });

  it('gives the same interval for the same data every time', () => {
    const data = exponential(500, 1, 3);
    expect(medianInterval(data)).toEqual(medianInterval(data));
  });

  it('puts a plain difference clearly on one side of 1, and no difference across it', () => {
    const fast = exponential(1000, 1, 1);
    const slow = exponential(1000, 2, 2);
    const apart = ratioInterval(fast, slow);
    expect(apart.high).toBeLessThan(1);
    expect(apart.estimate).toBeCloseTo(0.5, 1);
    // Two samples of one distribution: a 95% interval holds the true ratio, 1, about 19 times in 20.
    let covered = 0;
    for (let s = 0; s < 40; s += 2) {
      const same = ratioInterval(exponential(300, 1, 100 + s), exponential(300, 1, 101 + s), s);
      if (same.low <= 1 && same.high >= 1) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(17);
  });

  it('takes the middle of an even sample', () => {
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });
});

describe('histogramSamples', () => {
  it("gives back every recorded sample, to the histogram's precision", () => {
    const h = new LatencyHistogram();
    const values = [0.25, 0.25, 1.5, 41, 65];
    for (const v of values) h.recordMs(v);
    const samples = histogramSamples(h.encode());
    expect(samples).toHaveLength(5);
    for (const [i, s] of samples.entries()) expect(Math.abs(s - values[i]!) / values[i]!).toBeLessThan(0.001);
  });
});
