import { describe, expect, it } from 'vitest';
import { curvePoints, hdrX, percentileChart } from './percentile-chart.js';

const sorted = (n: number) => Array.from({ length: n }, (_, i) => 1 + i / n);

describe('the HDR percentile chart', () => {
  it('spaces 90%, 99%, 99.9% evenly and stops where the samples stop telling percentiles apart', () => {
    expect([0.9, 0.99, 0.999].map((p) => Number(hdrX(p).toFixed(6)))).toEqual([1, 2, 3]);
    // 1,000 samples reach 99.9% and no further; 100 reach 99%.
    expect(curvePoints(sorted(1000)).at(-1)![0]).toBeCloseTo(3, 6);
    expect(curvePoints(sorted(100)).at(-1)![0]).toBeCloseTo(2, 6);
    const points = curvePoints(sorted(1000));
    // Latency never falls as the percentile rises.
    for (let i = 1; i < points.length; i++) expect(points[i]![1]).toBeGreaterThanOrEqual(points[i - 1]![1]);
  });

  it('labels the percentile axis, gives each curve its n, and draws the claim’s bound', () => {
    const svg = percentileChart('hit against miss', [{ label: 'hit', sorted: sorted(1000) }], 'ms, server time', {
      value: 2.5,
      label: 'claim cache-hit-2.5ms: median <= 2.5 ms',
    });
    for (const tick of ['50%', '90%', '99%', '99.9%']) expect(svg).toContain(`>${tick}</text>`);
    expect(svg).not.toContain('>99.99%</text>');
    expect(svg).toContain('hit (n 1,000)');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('claim cache-hit-2.5ms: median &lt;= 2.5 ms');
    expect(percentileChart('empty', [{ label: 'none', sorted: [] }], 'ms')).toBe('');
  });
});
