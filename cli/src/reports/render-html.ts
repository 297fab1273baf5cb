import type { RunResults } from '../scenarios/run-results.js';
import type { Report } from './build-report.js';
import { claimCounts } from './render-markdown.js';
import { histogramSamples } from './histogram-samples.js';
import { percentileChart } from './percentile-chart.js';
import { barChart, lineChart } from './svg-charts.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/**
 * A table that scrolls sideways in its own box when the screen is narrower than it (a phone),
 * instead of widening the whole page; focusable, so it scrolls from the keyboard too.
 */
const wideTable = (label: string, head: string, rows: string[]) =>
  `<div class="wide" role="region" aria-label="${esc(label)}" tabindex="0"><table>${head}${rows.join('\n')}</table></div>`;
const num = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

/** A distribution's samples in ms, sorted, or none when the step did not record it. */
function samples(results: RunResults, scenario: string, step: string, histogram: string): number[] {
  const encoded = results.scenarios.find((s) => s.name === scenario)?.steps.find((s) => s.name === step)?.histograms[histogram];
  return encoded ? histogramSamples(encoded).sort((a, b) => a - b) : [];
}

/** Which time a distribution is: the service's own, or the client's from send to last byte. */
const timeKind = (histogram: string) => (histogram.endsWith('.server') ? 'server time' : 'client time');

/** A claim's bound on one of these distributions, to draw across its chart. */
function boundOn(r: Report, refs: Array<[string, string, string]>): { value: number; label: string } | undefined {
  for (const v of r.claims) {
    const ref = v.distributions[0]?.ref;
    if (!v.bound || !ref || v.distributions.length !== 1) continue;
    if (refs.some(([sc, st, h]) => ref.scenario === sc && ref.step === st && ref.histogram === h)) {
      return { value: v.bound.value, label: `claim ${v.id}: median ${v.bound.op} ${v.bound.value} ms` };
    }
  }
  return undefined;
}

function latencyCharts(r: Report, results: RunResults): string[] {
  const pairs: Array<[string, Array<[string, string, string, string]>]> = [
    [
      "Cache hit against miss: user-service's own time",
      [
        ['cache-aside', 'hits', 'cache.HIT.server', 'hit'],
        ['cache-aside', 'misses', 'cache.MISS.server', 'miss'],
      ],
    ],
    [
      'Error path against success path: suggestion, client time',
      [
        ['error-paths', 'suggestion-404', 'latency', '404'],
        ['error-paths', 'suggestion-200', 'latency', '200'],
      ],
    ],
    [
      'Enqueue against a shallow and a deep queue: client time',
      [
        ['queue-burst', 'shallow-queue', 'enqueue.shallow.latency', 'shallow'],
        ['queue-burst', 'deep-queue', 'enqueue.deep.latency', 'deep'],
      ],
    ],
  ];
  const figure = (chart: string, caption: string) => (chart ? `<figure>${chart}<figcaption>${esc(caption)}</figcaption></figure>` : '');
  const charts = pairs.map(([title, refs]) => {
    const curves = refs.map(([sc, st, h, label]) => ({ label, sorted: samples(results, sc, st, h) }));
    const n = curves.map((c) => `${c.label} n ${c.sorted.length.toLocaleString('en')}`).join(', ');
    const kind = timeKind(refs[0]![2]);
    return figure(
      percentileChart(
        title,
        curves,
        `ms, ${kind}`,
        boundOn(
          r,
          refs.map(([sc, st, h]) => [sc, st, h]),
        ),
      ),
      `${title}: ${n}`,
    );
  });
  // Every load step's client latency, one curve per step, per scenario.
  for (const s of results.scenarios) {
    const curves = s.steps
      .filter((st) => st.kind === 'load' && st.histograms.latency)
      .map((st) => ({ label: st.name, sorted: samples(results, s.name, st.name, 'latency') }));
    const title = `${s.name}: each load step, client time`;
    charts.push(figure(percentileChart(title, curves, 'ms, client time'), `${title}; n in the legend`));
  }
  return charts.filter(Boolean);
}

function queueCharts(results: RunResults): string[] {
  const out: string[] = [];
  for (const s of results.scenarios) {
    for (const st of s.steps) {
      if (st.kind !== 'burst' || !st.series.queue_depth?.length) continue;
      const toS = (points: Array<[number, number]>) => points.map(([t, v]) => [t / 1000, v] as [number, number]);
      const chart = lineChart(
        `${st.name}: queue depth and jobs completed`,
        [
          { label: 'queue depth', points: toS(st.series.queue_depth) },
          { label: 'completed', points: toS(st.series.completed ?? []) },
        ],
        'seconds since the burst began',
        'jobs',
      );
      out.push(`<figure>${chart}<figcaption>${esc(`${s.name}/${st.name}`)}: depth and drain over time</figcaption></figure>`);
    }
  }
  return out;
}

/** A claim's further readings: each ratio, and what its sides do. */
function readings(v: Report['claims'][number]): string {
  if (!v.readings.length) return '';
  const items = v.readings.map((r) =>
    r.ratio
      ? `<li>${esc(r.label)}: ratio ${r.ratio.estimate.toFixed(2)} (95% ${r.ratio.low.toFixed(2)}-${r.ratio.high.toFixed(2)}); medians ${r.distributions.map((d) => `${num(d.median)} ms, n ${d.n}`).join(' / ')}. ${esc(r.note)}</li>`
      : `<li>${esc(r.label)}: not measured (${esc(r.missing ?? '')})</li>`,
  );
  return `<ul class="readings">${items.join('')}</ul>${v.finding ? `<p>${esc(v.finding)}</p>` : ''}`;
}

/** The report as one self-contained HTML file: inline CSS and SVG, nothing fetched to view it. */
export function renderHtml(r: Report, results: RunResults): string {
  const s = r.summary;
  const badge = (status: string) => `<span class="b ${status.replace(/ /g, '-')}">${esc(status)}</span>`;
  const claims = r.claims.map(
    (v) =>
      `<tr><td>${esc(v.id)}</td><td>${badge(v.status === 'not-measured' ? 'not measured' : v.status)}</td><td>${esc(v.test)}</td><td>${v.n ?? '-'}</td><td>${num(v.value)}</td><td>${v.distributions.length ? v.distributions.map((d) => num(d.p99)).join(' / ') : '-'}</td><td>${v.interval ? `${num(v.interval.low)}-${num(v.interval.high)}` : '-'}</td><td>${v.documented ? `${v.documented.value} ${esc(v.documented.unit)}` : '-'}</td><td>${esc(v.againstDocumented ?? '')}</td></tr><tr class="sub"><td></td><td colspan="8"><q>${esc(v.asWritten)}</q><br>${esc(v.measuredAs)}. ${esc(v.reason)}.${v.documented?.source ? ` Documented figure: ${v.documented.value} ${esc(v.documented.unit)}, ${esc(v.documented.source)}.` : ''}${readings(v)}</td></tr>`,
  );
  const goals = r.scorecard.map(
    (g) => `<tr><td>${g.kg}</td><td>${esc(g.name)}</td><td>${badge(g.status)}</td><td>${esc(g.evidence.join('; '))}</td></tr>`,
  );
  const scenarios = r.scenarios.map(
    (x) =>
      `<tr><td>${esc(x.name)}</td><td>${badge(x.status)}</td><td>${(x.durationMs / 1000).toFixed(1)} s</td><td>${x.kgs.join(' ')}</td><td>${esc(x.reason ?? '')}</td></tr>`,
  );
  const failed = r.checks
    .filter((c) => !c.passed && !c.skipped)
    .map((c) => `<li>${esc(c.scenario)}: ${esc(c.name)}: ${esc(c.detail)}</li>`);
  // The summary a reader takes in at a glance: what was measured, and one line per claim that did not hold.
  const attention = r.claims
    .filter((v) => !v.outOfRun && (v.status === 'fails' || v.status === 'inconclusive'))
    .map((v) => `<li>${badge(v.status)} <strong>${esc(v.id)}</strong>: ${esc(v.reason)}</li>`);
  const summary = `<section class="summary"><p><strong>${s.scenarios.passed} scenarios passed, ${s.scenarios.failed} failed, ${s.scenarios.skipped} skipped</strong> · checks ${s.checks.passed} passed, ${s.checks.failed} failed${s.checks.skipped ? `, ${s.checks.skipped} skipped` : ''} · claims ${claimCounts(s.claims)}</p><p>${esc(r.differences[1] ?? '')}</p>${attention.length ? `<ul>${attention.join('')}</ul>` : ''}</section>`;
  const waterfalls = r.traces.map(
    (t) =>
      `<figure>${barChart(
        `${t.scenario}/${t.step}: time per hop`,
        t.hops.map((h) => ({
          label: h.component,
          value: h.ms,
          note: Object.entries(h.parts)
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(', '),
        })),
        'ms',
      )}<figcaption>${esc(`${t.scenario}/${t.step}`)}: each hop's own time; each includes the hops below it</figcaption></figure>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>w2meet report ${esc(r.runId)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;overflow-wrap:anywhere}
.wide{overflow-x:auto;margin:1em 0}table{border-collapse:collapse;width:100%;overflow-wrap:normal}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
tr.sub td{border-bottom:2px solid #ddd;color:#555;font-size:12px}
.b{padding:1px 6px;border-radius:3px;font-size:12px;white-space:nowrap}.holds,.met,.passed{background:#d4f4dd}.fails,.not-met,.failed{background:#f8d0d0}
.inconclusive,.not-checked,.skipped{background:#eee}.summary{border:1px solid #ccc;border-radius:4px;padding:0 1em;background:#fcfcfc}.summary li{margin:.3em 0}figure{margin:1em 0}svg{max-width:100%;height:auto}figcaption{font-size:12px;color:#555}
</style></head><body>
<h1>w2meet report <small>${esc(r.runId)}</small></h1>
${summary}
<h2>The lab</h2><ul>${r.differences.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>
${r.findings.length ? `<h2>Findings about the deployment</h2><ul>${r.findings.map((f) => `<li>${f.where ? `${esc(f.where)}: ` : ''}${esc(f.text)}</li>`).join('')}</ul>` : ''}
<h2>Claims</h2>
${wideTable('Claims', '<tr><th>claim</th><th>verdict</th><th>test</th><th>n</th><th>measured</th><th>p99 ms</th><th>95% interval</th><th>documented</th><th>against the document</th></tr>', claims)}
<h2>Latency</h2>${latencyCharts(r, results).join('\n')}
<h2>Queue</h2>${queueCharts(results).join('\n') || '<p>No queue burst in this run.</p>'}
<h2>Where the time goes</h2>${waterfalls.join('\n') || '<p>No traced request in this run.</p>'}
<h2>Knowledge goals</h2>
${wideTable('Knowledge goals', '<tr><th>goal</th><th></th><th>status</th><th>evidence</th></tr>', goals)}
<h2>Scenarios</h2>
${wideTable('Scenarios', '<tr><th>scenario</th><th>status</th><th>time</th><th>goals</th><th>note</th></tr>', scenarios)}
${failed.length ? `<h3>Failed checks</h3><ul>${failed.join('')}</ul>` : ''}
</body></html>
`;
}
