import type { RunResults } from '../scenarios/run-results.js';
import { medianInterval } from './bootstrap.js';
import type { ClaimVerdict } from './claim-verdict.js';
import { histogramSamples } from './histogram-samples.js';

export interface MetricChange {
  /** `scenario/step latency`. */
  name: string;
  before: number;
  after: number;
  /** after / before - 1. */
  change: number;
  /** Slower beyond the noise: the two medians' 95% intervals do not overlap, and by more than 10%. */
  regression: boolean;
  improvement: boolean;
}

export interface VerdictChange {
  id: string;
  before: string;
  after: string;
}

const NOISE = 0.1;

/** Every step latency both runs measured, median against median, with its intervals. */
export function compareLatencies(before: RunResults, after: RunResults): MetricChange[] {
  const out: MetricChange[] = [];
  for (const s of after.scenarios) {
    const old = before.scenarios.find((o) => o.name === s.name);
    for (const step of s.steps) {
      const encoded = step.histograms.latency;
      const oldEncoded = old?.steps.find((o) => o.name === step.name)?.histograms.latency;
      if (!encoded || !oldEncoded) continue;
      const a = medianInterval(histogramSamples(oldEncoded));
      const b = medianInterval(histogramSamples(encoded));
      const change = b.estimate / a.estimate - 1;
      out.push({
        name: `${s.name}/${step.name} latency`,
        before: a.estimate,
        after: b.estimate,
        change,
        regression: b.low > a.high && change > NOISE,
        improvement: b.high < a.low && change < -NOISE,
      });
    }
  }
  return out;
}

export function compareVerdicts(before: ClaimVerdict[], after: ClaimVerdict[]): VerdictChange[] {
  return after.map((v) => ({ id: v.id, before: before.find((b) => b.id === v.id)?.status ?? 'not judged', after: v.status }));
}

export function renderComparison(beforeId: string, afterId: string, latencies: MetricChange[], verdicts: VerdictChange[]): string {
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const lines = [
    `# w2meet: run ${afterId} against ${beforeId}`,
    '',
    '| claim | before | after |',
    '|---|---|---|',
    ...verdicts.map((v) => `| ${v.id} | ${v.before} | ${v.after}${v.before !== v.after ? ' ⚠' : ''} |`),
    '',
    '| median latency | before ms | after ms | change | |',
    '|---|---|---|---|---|',
    ...latencies.map(
      (m) =>
        `| ${m.name} | ${m.before.toFixed(3)} | ${m.after.toFixed(3)} | ${pct(m.change)} | ${m.regression ? 'regression' : m.improvement ? 'improvement' : ''} |`,
    ),
    '',
    `${latencies.filter((m) => m.regression).length} regressions beyond the noise (medians' 95% intervals apart and more than ${NOISE * 100}% slower).`,
  ];
  return `${lines.join('\n')}\n`;
}
