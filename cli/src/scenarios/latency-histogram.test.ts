import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('reads percentiles within 0.1% of the exact ones', () => {
    const h = new LatencyHistogram();
    // 1..10000 µs: the exact p50 is 5 ms, p99 9.9 ms.
    for (let us = 1; us <= 10_000; us++) h.recordMs(us / 1000);
    const s = h.summary();
    expect(s.count).toBe(10_000);
    expect(s.p50).toBeCloseTo(5, 2);
    expect(Math.abs(s.p99 - 9.9) / 9.9).toBeLessThan(0.001);
    expect(s.min).toBe(0.001);
    expect(Math.abs(s.max - 10) / 10).toBeLessThan(0.001);
    expect(s.mean).toBeCloseTo(5.0005, 2);
  });

  it('survives the round trip through the results file', () => {
    const h = new LatencyHistogram();
    for (const ms of [0.2, 0.3, 0.3, 2.5, 41, 65]) h.recordMs(ms);
    const back = LatencyHistogram.decode(h.encode()).summary();
    // The exact maximum is not stored, only its bucket: equal within the histogram's 0.1%.
    for (const [key, value] of Object.entries(h.summary())) {
      expect(Math.abs(back[key as keyof typeof back] - value), key).toBeLessThanOrEqual(value * 0.001);
    }
  });

  it('merges histograms', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.recordMs(1);
    b.recordMs(3);
    a.add(b);
    expect(a.count).toBe(2);
    expect(a.summary().max).toBeCloseTo(3, 2);
  });

  it('says zero, not garbage, when empty', () => {
    expect(new LatencyHistogram().summary()).toMatchObject({ count: 0, p50: 0, min: 0, max: 0 });
  });
});
