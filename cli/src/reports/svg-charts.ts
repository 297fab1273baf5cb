/** Small self-contained SVG charts for the HTML report: no script, no network, readable printed. */

export interface Series {
  label: string;
  points: Array<[number, number]>;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const W = 640;
const H = 240;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tick = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));

/** A line chart; `logY` for latencies, whose tails span orders of magnitude. */
export function lineChart(title: string, series: Series[], xLabel: string, yLabel: string, logY = false): string {
  const all = series.flatMap((s) => s.points);
  if (!all.length) return '';
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter((y) => !logY || y > 0);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs) || 1];
  let [y0, y1] = [logY ? Math.min(...ys) : 0, Math.max(...ys) || 1];
  if (y1 === y0) y1 = y0 + 1;
  const fy = logY ? (y: number) => Math.log10(Math.max(y, y0)) : (y: number) => y;
  const [ly0, ly1] = [fy(y0), fy(y1) === fy(y0) ? fy(y0) + 1 : fy(y1)];
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - ((fy(y) - ly0) / (ly1 - ly0)) * (H - PAD.top - PAD.bottom);
  const paths = series.map((s, i) => {
    const d = s.points
      .filter((p) => !logY || p[1] > 0)
      .map((p, j) => `${j ? 'L' : 'M'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`)
      .join('');
    return `<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.8"/>`;
  });
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => (logY ? 10 ** (ly0 + f * (ly1 - ly0)) : y0 + f * (y1 - y0)));
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => x0 + f * (x1 - x0));
  const legend = series.map(
    (s, i) =>
      `<text x="${PAD.left + 8 + i * 150}" y="${PAD.top + 10}" font-size="11" fill="${COLORS[i % COLORS.length]}">■ ${esc(s.label)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="#fafafa" stroke="#ccc"/>`,
    ...yTicks.map((v) => `<text x="${PAD.left - 6}" y="${py(v) + 4}" font-size="10" text-anchor="end">${tick(v)}</text>`),
    ...xTicks.map((v) => `<text x="${px(v)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${tick(v)}</text>`),
    `<text x="${(W + PAD.left) / 2}" y="${H - 4}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="12" y="${H / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(yLabel)}</text>`,
    ...paths,
    ...legend,
    '</svg>',
  ].join('\n');
}

/** Horizontal bars, for the per-hop waterfall: each hop's own time, nested inside the one before. */
export function barChart(title: string, bars: Array<{ label: string; value: number; note?: string }>, unit: string): string {
  if (!bars.length) return '';
  const rowH = 26;
  const height = PAD.top + bars.length * rowH + 8;
  const max = Math.max(...bars.map((b) => b.value)) || 1;
  const left = 150;
  const scale = (v: number) => (v / max) * (W - left - 90);
  const rows = bars.map((b, i) => {
    const y = PAD.top + i * rowH;
    return [
      `<text x="${left - 8}" y="${y + 16}" font-size="11" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${Math.max(1, scale(b.value)).toFixed(1)}" height="${rowH - 10}" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${left + scale(b.value) + 6}" y="${y + 16}" font-size="11">${tick(b.value)} ${esc(unit)}${b.note ? ` ${esc(b.note)}` : ''}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    ...rows,
    '</svg>',
  ].join('\n');
}
