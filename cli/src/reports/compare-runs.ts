import type { LabDescription, RunResults } from '../scenarios/run-results.js';
import { median, ratioInterval } from './bootstrap.js';
import type { ClaimVerdict } from './claim-verdict.js';
import { histogramSamples } from './histogram-samples.js';

export interface MetricChange {
  /** `scenario/step histogram`. */
  name: string;
  n: { before: number; after: number };
  before: number;
  after: number;
  /** after / before: the ratio of the medians, with its 95% interval (both samples resampled). */
  ratio: { estimate: number; low: number; high: number };
  /** Slower beyond the noise inside each run and the drift between runs: the whole interval above 1 + tolerance. */
  regression: boolean;
  improvement: boolean;
}

export interface VerdictChange {
  id: string;
  before: string;
  after: string;
}

/** Fewer samples than this on either side and a median says too little to compare. */
export const MIN_SAMPLES = 100;
/**
 * How much two runs of the same suite on the same lab differ with nothing changed: six grades of
 * unchanged process labs on a 2-core machine (`npm run bench:grade`) put the cache hit's median
 * anywhere from 0.188 to 0.386 ms, a factor of two, while each run's own interval was 4-6% wide. A
 * change is a regression only beyond that drift, whatever the sampling noise inside each run says;
 * `report --tolerance` sets it for a quieter machine.
 */
export const RUN_TO_RUN_TOLERANCE = 1;

/** The distributions compared: client and server time of each step, cache outcomes and the queue's enqueue times. */
const COMPARED = /^(latency|server|cache\.[A-Z]+\.(latency|server)|enqueue\.(latency|server|deep\.latency|shallow\.latency))$/;

/** How the two runs' labs differ, said before any figure: a change of lab explains a change of figures. */
export function labDifferences(before: LabDescription, after: LabDescription): string[] {
  const out: string[] = [];
  const where = (l: LabDescription) => (l.kind === 'url' ? `a deployment at ${l.gatewayUrl}` : `the ${l.runtime} lab ${l.lab}`);
  if (where(before) !== where(after)) out.push(`measured on ${where(before)}, then on ${where(after)}`);
  const replicas = (l: LabDescription) => JSON.stringify(l.replicas ?? {});
  if (replicas(before) !== replicas(after)) out.push(`replicas ${replicas(before)}, then ${replicas(after)}`);
  const host = (l: LabDescription) => `${l.host.cpus} cores (${l.host.cpuModel}), ${l.host.memoryGiB} GiB, Node ${l.host.node}`;
  if (host(before) !== host(after)) out.push(`host ${host(before)}, then ${host(after)}`);
  if (before.w2meetVersion !== after.w2meetVersion) out.push(`w2meet ${before.w2meetVersion}, then ${after.w2meetVersion}`);
  return out;
}

/** Every distribution both runs measured with enough samples, median against median. */
export function compareLatencies(before: RunResults, after: RunResults, tolerance = RUN_TO_RUN_TOLERANCE): MetricChange[] {
  const out: MetricChange[] = [];
  for (const s of after.scenarios) {
    const old = before.scenarios.find((o) => o.name === s.name);
    for (const step of s.steps) {
      const oldStep = old?.steps.find((o) => o.name === step.name);
      for (const [key, encoded] of Object.entries(step.histograms)) {
        const oldEncoded = oldStep?.histograms[key];
        if (!COMPARED.test(key) || !oldEncoded) continue;
        const a = histogramSamples(oldEncoded);
        const b = histogramSamples(encoded);
        if (a.length < MIN_SAMPLES || b.length < MIN_SAMPLES) continue;
        const ratio = ratioInterval(b, a);
        out.push({
          name: `${s.name}/${step.name} ${key}`,
          n: { before: a.length, after: b.length },
          before: median([...a].sort((x, y) => x - y)),
          after: median([...b].sort((x, y) => x - y)),
          ratio: { estimate: ratio.estimate, low: ratio.low, high: ratio.high },
          regression: ratio.low > 1 + tolerance,
          improvement: ratio.high < 1 / (1 + tolerance),
        });
      }
    }
  }
  return out;
}

export function compareVerdicts(before: ClaimVerdict[], after: ClaimVerdict[]): VerdictChange[] {
  return after.map((v) => ({ id: v.id, before: before.find((b) => b.id === v.id)?.status ?? 'not judged', after: v.status }));
}

export function renderComparison(
  beforeId: string,
  afterId: string,
  labs: string[],
  latencies: MetricChange[],
  verdicts: VerdictChange[],
  tolerance = RUN_TO_RUN_TOLERANCE,
): string {
  const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;
  const lines = [
    `# w2meet: run ${afterId} against ${beforeId}`,
    '',
    ...(labs.length
      ? [
          '**The two runs were not made on the same lab**, so their figures differ for that reason too:',
          '',
          ...labs.map((d) => `- ${d}`),
          '',
        ]
      : ['Both runs were made on the same kind of lab (runtime, replicas, host, version).', '']),
    '| claim | before | after |',
    '|---|---|---|',
    ...verdicts.map((v) => `| ${v.id} | ${v.before} | ${v.after}${v.before !== v.after ? ' ⚠' : ''} |`),
    '',
    '| median | n before / after | before ms | after ms | change | 95% interval | |',
    '|---|---|---|---|---|---|---|',
    ...latencies.map(
      (m) =>
        `| ${m.name} | ${m.n.before} / ${m.n.after} | ${m.before.toFixed(3)} | ${m.after.toFixed(3)} | ${pct(m.ratio.estimate)} | ${pct(m.ratio.low)} to ${pct(m.ratio.high)} | ${m.regression ? 'regression' : m.improvement ? 'improvement' : ''} |`,
    ),
    '',
    `${latencies.filter((m) => m.regression).length} regressions: the whole 95% interval of the change above +${(tolerance * 100).toFixed(0)}%, the drift between two runs of an unchanged lab. Only distributions of at least ${MIN_SAMPLES} samples on both sides are compared.`,
  ];
  return `${lines.join('\n')}\n`;
}
