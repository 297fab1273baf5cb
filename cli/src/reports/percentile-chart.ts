/**
 * Latency by percentile on the HDR convention: the x axis is log10(1 / (1 - percentile)), so 90%,
 * 99%, 99.9% and 99.99% are evenly spaced and the tail, where runs differ, gets most of the width.
 * Self-contained SVG, no script.
 */

import { legendLayout } from './svg-charts.js';

export interface PercentileCurve {
  label: string;
  /** Samples in ms, sorted ascending. */
  sorted: number[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const W = 640;
const H = 260;
const PAD = { left: 56, right: 16, top: 22, bottom: 40 };
const TICKS = [0.5, 0.9, 0.99, 0.999, 0.9999];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));
const pct = (p: number) => `${Number((p * 100).toPrecision(6))}%`;

/** Where a percentile sits on the axis: 0 at 0%, 1 at 90%, 2 at 99%, ... */
export const hdrX = (p: number) => Math.log10(1 / (1 - p));

/** The value at a percentile: the smallest sample with at least that fraction at or below it. */
function at(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * The points of one curve: percentiles up to the last one the samples can tell apart (1 - 1/n:
 * 1,000 samples reach 99.9%), never beyond what was measured.
 */
export function curvePoints(sorted: number[]): Array<[number, number]> {
  if (!sorted.length) return [];
  const last = 1 - 1 / sorted.length;
  const steps: number[] = [];
  for (let x = 0; x <= hdrX(last) + 1e-9; x += 0.05) steps.push(1 - 10 ** -x);
  if (steps.at(-1)! < last) steps.push(last);
  return steps.map((p) => [hdrX(p), at(sorted, p)]);
}

/**
 * The chart, with an optional bound (a claim's: "a cache hit takes 2.5 ms") drawn across it, and
 * each curve's n in its legend.
 */
export function percentileChart(
  title: string,
  curves: PercentileCurve[],
  yLabel: string,
  bound?: { value: number; label: string },
): string {
  const drawn = curves.filter((c) => c.sorted.length);
  if (!drawn.length) return '';
  const labels = drawn.map((c) => `■ ${c.label} (n ${c.sorted.length.toLocaleString('en')})`);
  const spots = legendLayout(labels, PAD.left + 8, W - PAD.right, 11);
  // Each further row of legend above the plot makes the chart that much taller, the plot the same.
  const shift = Math.max(...spots.map((s) => s.row)) * 14;
  const [top, height] = [PAD.top + shift, H + shift];
  const points = drawn.map((c) => curvePoints(c.sorted));
  const xMax = Math.max(hdrX(0.999), ...points.map((p) => p.at(-1)![0]));
  const yMax = Math.max(...points.flat().map((p) => p[1]), bound?.value ?? 0) * 1.05 || 1;
  const px = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const py = (y: number) => height - PAD.bottom - (y / yMax) * (height - top - PAD.bottom);
  const paths = points.map(
    (pts, i) =>
      `<path d="${pts.map((p, j) => `${j ? 'L' : 'M'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join('')}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.8"/>`,
  );
  const xTicks = TICKS.filter((p) => hdrX(p) <= xMax + 1e-9).map(
    (p) =>
      `<line x1="${px(hdrX(p))}" x2="${px(hdrX(p))}" y1="${top}" y2="${height - PAD.bottom}" stroke="#e4e4e4"/><text x="${px(hdrX(p))}" y="${height - PAD.bottom + 14}" font-size="10" text-anchor="middle">${pct(p)}</text>`,
  );
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map(
    (f) => `<text x="${PAD.left - 6}" y="${py(f * yMax) + 4}" font-size="10" text-anchor="end">${ms(f * yMax)}</text>`,
  );
  const legend = spots.map(
    ({ x, row }, i) =>
      `<text x="${x}" y="${PAD.top - 8 + row * 14}" font-size="11" fill="${COLORS[i % COLORS.length]}">${esc(labels[i]!)}</text>`,
  );
  const boundLine = bound
    ? `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(bound.value)}" y2="${py(bound.value)}" stroke="#000" stroke-dasharray="5,4"/><text x="${W - PAD.right - 4}" y="${py(bound.value) - 4}" font-size="10" text-anchor="end">${esc(bound.label)}</text>`
    : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="100%" style="max-width:${W}px" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<rect x="${PAD.left}" y="${top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="#fafafa" stroke="#ccc"/>`,
    ...xTicks,
    ...yTicks,
    `<text x="${(W + PAD.left) / 2}" y="${height - 6}" font-size="11" text-anchor="middle">percentile (HDR scale: each step ten times rarer)</text>`,
    `<text x="12" y="${H / 2 + shift}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${H / 2 + shift})">${esc(yLabel)}</text>`,
    boundLine,
    ...paths,
    ...legend,
    '</svg>',
  ].join('\n');
}
