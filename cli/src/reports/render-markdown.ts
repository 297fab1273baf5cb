import type { Report } from './build-report.js';
import type { ClaimVerdict } from './claim-verdict.js';

const MARK = {
  holds: '✅ holds',
  fails: '❌ fails',
  inconclusive: '❔ inconclusive',
  'not-measured': '➖ not measured',
  met: '✅ met',
  'not met': '❌ not met',
  'not checked': '➖ not checked',
};
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (x: number | null, digits = 3) => (x === null ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(digits));

function claimRow(v: ClaimVerdict): string {
  const ci = v.interval ? `${num(v.interval.low)}-${num(v.interval.high)}` : '-';
  const doc = v.documented ? `${v.documented.value} ${v.documented.unit}` : '-';
  const p99 = v.distributions.length ? v.distributions.map((d) => num(d.p99)).join(' / ') : '-';
  return `| ${v.id} | ${MARK[v.status]} | ${cell(v.test)} | ${v.n ?? '-'} | ${num(v.value)} | ${p99} | ${ci} | ${doc} | ${cell(v.againstDocumented ?? '')} |`;
}

/** Each further reading of a claim, under it: its ratio, what its two sides do. */
function readingLines(v: ClaimVerdict): string[] {
  return v.readings.map((r) =>
    r.ratio
      ? `  - ${r.label}: ratio ${r.ratio.estimate.toFixed(2)} (95% ${r.ratio.low.toFixed(2)}-${r.ratio.high.toFixed(2)}), medians ${r.distributions.map((d) => `${num(d.median)} ms (n ${d.n})`).join(' / ')}. ${cell(r.note)}`
      : `  - ${r.label}: not measured (${cell(r.missing ?? '')})`,
  );
}

/** The claim counts in one phrase. */
export function claimCounts(c: { holds: number; fails: number; inconclusive: number; notMeasured: number }): string {
  return `${c.holds} hold, ${c.fails} fail, ${c.inconclusive} inconclusive, ${c.notMeasured} not measured`;
}

/** The report as Markdown: for a terminal, a pull request, or `$GITHUB_STEP_SUMMARY`. */
export function renderMarkdown(r: Report): string {
  const s = r.summary;
  const lines = [
    `# w2meet report — run ${r.runId}`,
    '',
    `**${s.scenarios.passed} scenarios passed, ${s.scenarios.failed} failed, ${s.scenarios.skipped} skipped** · checks ${s.checks.passed} passed, ${s.checks.failed} failed${s.checks.skipped ? `, ${s.checks.skipped} skipped` : ''} · claims ${claimCounts(s.claims)}`,
    '',
    '## The lab',
    '',
    ...r.differences.map((d) => `- ${d}`),
    '',
    '## Claims',
    '',
    '| claim | verdict | test | n | measured | p99 ms | 95% interval | documented | against the document |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.claims.map(claimRow),
    '',
    ...r.claims.flatMap((v) => [
      `- **${v.id}**: "${cell(v.asWritten)}" Measured as ${v.measuredAs}. ${v.reason}.${v.documented?.source ? ` Documented figure: ${v.documented.value} ${v.documented.unit}, ${cell(v.documented.source)}.` : ''}`,
      ...readingLines(v),
      ...(v.finding ? [`  - ${cell(v.finding)}`] : []),
    ]),
    '',
    ...(r.findings.length
      ? ['## Findings about the deployment', '', ...r.findings.map((f) => `- ${f.where ? `${f.where}: ` : ''}${cell(f.text)}`), '']
      : []),
    '## Knowledge goals',
    '',
    '| goal | | status | evidence |',
    '|---|---|---|---|',
    ...r.scorecard.map((g) => `| ${g.kg} | ${g.name} | ${MARK[g.status]} | ${cell(g.evidence.join('; '))} |`),
    '',
    '## Scenarios',
    '',
    '| scenario | status | time | goals | note |',
    '|---|---|---|---|---|',
    ...r.scenarios.map(
      (x) => `| ${x.name} | ${x.status} | ${(x.durationMs / 1000).toFixed(1)} s | ${x.kgs.join(' ')} | ${cell(x.reason ?? '')} |`,
    ),
  ];
  const failed = r.checks.filter((c) => !c.passed && !c.skipped);
  if (failed.length) lines.push('', '### Failed checks', '', ...failed.map((c) => `- ${c.scenario}: ${c.name}: ${cell(c.detail)}`));
  const skipped = r.checks.filter((c) => c.skipped);
  if (skipped.length)
    lines.push('', '### Skipped steps and checks', '', ...skipped.map((c) => `- ${c.scenario}: ${c.name}: ${cell(c.detail)}`));
  for (const t of r.traces) {
    lines.push('', `## Where the time goes: ${t.scenario}/${t.step}`, '', '| hop | instance | ms | parts |', '|---|---|---|---|');
    for (const h of t.hops)
      lines.push(
        `| ${h.component} | ${h.instance} | ${num(h.ms)} | ${Object.entries(h.parts)
          .map(([k, v]) => `${k} ${num(v)}`)
          .join(', ')} |`,
      );
  }
  return `${lines.join('\n')}\n`;
}
