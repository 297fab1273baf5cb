import hdr from 'hdr-histogram-js';

/** The bucket walk of hdr-histogram-js's JS histogram, which its typings leave out. */
interface BucketWalk {
  nextNonEquivalentValue(value: number): number;
  getCountAtValue(value: number): number;
  medianEquivalentValue(value: number): number;
}

/**
 * The samples of a recorded histogram, in milliseconds: each recorded value once per count, at the
 * histogram's precision (0.1%), walking its buckets from the smallest recorded value up. What the
 * bootstrap resamples.
 */
export function histogramSamples(base64: string): number[] {
  const h = hdr.decodeFromCompressedBase64(base64, 32, false);
  const walk = h as unknown as BucketWalk;
  const out: number[] = [];
  if (h.totalCount === 0) return out;
  for (let value = h.minNonZeroValue; value <= h.maxValue && out.length < h.totalCount; value = walk.nextNonEquivalentValue(value)) {
    const count = walk.getCountAtValue(value);
    const ms = walk.medianEquivalentValue(value) / 1000;
    for (let i = 0; i < count; i++) out.push(ms);
  }
  return out;
}
