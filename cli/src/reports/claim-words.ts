import type { Claim } from './claim-types.js';

// How a verdict puts its figures and its test into words.

/** The sentence a verdict gives when the drift between runs is what leaves it undecided. */
export function runToRunNote(
  claim: Claim,
  status: string,
  within: 'holds' | 'fails' | 'inconclusive',
  widened: { low: number; high: number },
): string {
  if (!claim.run_to_run) return '';
  const across = `across runs ${fmt(widened.low)}-${fmt(widened.high)}`;
  if (status === 'inconclusive' && within !== 'inconclusive')
    return `; this run alone says it ${within}, but two runs of an unchanged lab differ by this much (${claim.run_to_run.measured}): ${across}`;
  return `; allowing for the drift between runs (${claim.run_to_run.measured}), ${across}`;
}

export function timesDocumented(measured: number, documented: number): string {
  if (measured <= 0 || documented <= 0) return '';
  const ratio = documented / measured;
  return ratio >= 1 ? `${ratio.toFixed(1)} times faster than documented` : `${(1 / ratio).toFixed(1)} times slower than documented`;
}

export const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));

export function testInWords(claim: Claim): string {
  const t = claim.test;
  switch (t.kind) {
    case 'bound':
      return `median ${t.op} ${t.value} ms`;
    case 'relation':
      return `${t.a.label ?? t.a.step} / ${t.b.label ?? t.b.step} ${t.op} ${t.factor}`;
    case 'value':
      return `${t.metric} ${t.op} ${t.value}`;
    case 'metric-ratio':
      return `${t.label ?? `${t.a} / ${t.b}`} ${t.op} ${t.factor}`;
    case 'steps':
      return `${t.steps.length} steps meet their expectations`;
  }
}
