import type { RunResults } from '../scenarios/run-results.js';
import { ratioInterval } from './bootstrap.js';
import { describeDistribution, effectiveRef, samplesOf, type Distribution } from './claim-evidence.js';
import type { Reading } from './claim-types.js';

export interface ReadingResult {
  label: string;
  note: string;
  /** Ratio of medians a / b with its 95% interval; null when a side has no samples. */
  ratio: { estimate: number; low: number; high: number } | null;
  distributions: Distribution[];
  /** Why there is no ratio. */
  missing?: string;
}

/** Each further reading of a relation, measured the same way as the verdict's own. */
export function judgeReadings(readings: Reading[], results: RunResults): ReadingResult[] {
  return readings.map((written) => {
    const r = { ...written, a: effectiveRef(results, written.a), b: effectiveRef(results, written.b) };
    const a = samplesOf(results, r.a);
    const b = samplesOf(results, r.b);
    if (!('value' in a) || !('value' in b)) {
      const e = !('value' in a) ? a : (b as Exclude<typeof b, { value: number[] }>);
      return { label: r.label, note: r.note, ratio: null, distributions: [], missing: 'notMeasured' in e ? e.notMeasured : e.absent };
    }
    const ci = ratioInterval(a.value, b.value);
    return {
      label: r.label,
      note: r.note,
      ratio: { estimate: ci.estimate, low: ci.low, high: ci.high },
      distributions: [describeDistribution(r.a, a.value), describeDistribution(r.b, b.value)],
    };
  });
}

/**
 * One sentence over every reading of a relation, the verdict's own first: which of them meet the
 * claim's test and which do not, so a reader sees at once whether the verdict depends on how it
 * was read (client or server time, warm or cold cache).
 */
export function readingsFinding(
  own: { label: string; estimate: number },
  readings: ReadingResult[],
  meets: (ratio: number) => boolean,
): string | null {
  const all = [own, ...readings.flatMap((r) => (r.ratio ? [{ label: r.label, estimate: r.ratio.estimate }] : []))];
  if (all.length < 2) return null;
  const phrase = (list: typeof all) => list.map((r) => `${r.label} (${r.estimate.toFixed(2)})`).join(', ');
  const yes = all.filter((r) => meets(r.estimate));
  const no = all.filter((r) => !meets(r.estimate));
  if (!no.length) return `Every reading meets the test: ${phrase(yes)}.`;
  if (!yes.length) return `No reading meets the test: ${phrase(no)}.`;
  return `The readings disagree: ${phrase(yes)} meet the test; ${phrase(no)} do not.`;
}
