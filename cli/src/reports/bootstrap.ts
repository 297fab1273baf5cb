/**
 * Bootstrap confidence intervals for medians and ratios of medians. Seeded, so the same results
 * file always gives the same interval (a report built twice says the same thing).
 */

/** mulberry32: a small, fast, seedable PRNG; statistical quality is ample for resampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))));
  return sorted[i]!;
}

/**
 * The medians of `rounds` resamples of a sorted sample. A resample's median is the sorted
 * sample's value at the median of the drawn indices (values are monotone in the index), so each
 * resample is a counting pass over indices instead of a sort.
 */
export function resampledMedians(sorted: number[], rounds: number, random: () => number): number[] {
  const n = sorted.length;
  const counts = new Uint32Array(n);
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
    // The lower and upper middle order statistics of the resample.
    const lo = Math.floor((n - 1) / 2);
    const hi = Math.floor(n / 2);
    let seen = 0;
    let loValue = Number.NaN;
    for (let i = 0; i < n; i++) {
      seen += counts[i]!;
      if (Number.isNaN(loValue) && seen > lo) loValue = sorted[i]!;
      if (seen > hi) {
        out.push((loValue + sorted[i]!) / 2);
        break;
      }
    }
  }
  return out;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

const ROUNDS = 2000;

/** The median with its 95% percentile-bootstrap interval. */
export function medianInterval(values: number[], seed = 1): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const medians = resampledMedians(sorted, ROUNDS, seededRandom(seed)).sort((a, b) => a - b);
  return { estimate: median(sorted), low: quantile(medians, 0.025), high: quantile(medians, 0.975) };
}

/** The ratio of two medians (a / b) with its 95% interval, the two samples resampled independently. */
export function ratioInterval(a: number[], b: number[], seed = 1): Interval {
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  const random = seededRandom(seed);
  const ma = resampledMedians(sa, ROUNDS, random);
  const mb = resampledMedians(sb, ROUNDS, random);
  const ratios = ma.map((m, i) => m / mb[i]!).sort((x, y) => x - y);
  return { estimate: median(sa) / median(sb), low: quantile(ratios, 0.025), high: quantile(ratios, 0.975) };
}
