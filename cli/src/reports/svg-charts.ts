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

/**
 * About how wide a label is drawn, in SVG units. An SVG clips what runs past its edge, so labels
 * are placed by this; 0.62 em a character covers DejaVu Sans, the widest common default sans.
 */
export const textWidth = (s: string, fontSize: number) => s.length * fontSize * 0.62;

/** Where each legend entry goes: left to right, onto a new row when the next would pass `right`. */
export function legendLayout(labels: string[], left: number, right: number, fontSize: number): Array<{ x: number; row: number }> {
  let [x, row] = [left, 0];
  return labels.map((label) => {
    const width = textWidth(label, fontSize);
    if (x > left && x + width > right) [x, row] = [left, row + 1];
    const at = { x: Math.round(x), row };
    x += width + 2 * fontSize;
    return at;
  });
}

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
  const labels = series.map((s) => `■ ${s.label}`);
  const legend = legendLayout(labels, PAD.left + 8, W - PAD.right, 11).map(
    ({ x, row }, i) =>
      `<text x="${x}" y="${PAD.top + 10 + row * 14}" font-size="11" fill="${COLORS[i % COLORS.length]}">${esc(labels[i]!)}</text>`,
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

interface Bar {
  label: string;
  value: number;
  note?: string;
}

/** Horizontal bars, for the per-hop waterfall: each hop's own time, nested inside the one before. */
export function barChart(title: string, bars: Bar[], unit: string): string {
  if (!bars.length) return '';
  const rowH = 26;
  const height = PAD.top + bars.length * rowH + 8;
  const max = Math.max(...bars.map((b) => b.value)) || 1;
  const left = 150;
  const valueLabel = (b: Bar) => `${tick(b.value)} ${unit}${b.note ? ` ${b.note}` : ''}`;
  // Bars short enough that each one's label, drawn after it, still ends inside the chart.
  const room = (b: Bar) => (b.value > 0 ? (W - PAD.right - left - 6 - textWidth(valueLabel(b), 11)) / b.value : Infinity);
  const perUnit = Math.max(0, Math.min((W - left - 90) / max, ...bars.map(room)));
  const scale = (v: number) => v * perUnit;
  const rows = bars.map((b, i) => {
    const y = PAD.top + i * rowH;
    return [
      `<text x="${left - 8}" y="${y + 16}" font-size="11" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${Math.max(1, scale(b.value)).toFixed(1)}" height="${rowH - 10}" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${(left + scale(b.value) + 6).toFixed(1)}" y="${y + 16}" font-size="11">${esc(valueLabel(b))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    ...rows,
    '</svg>',
  ].join('\n');
}
