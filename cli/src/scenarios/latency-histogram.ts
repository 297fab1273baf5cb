import hdr from 'hdr-histogram-js';

/** Microseconds from 1 µs to 10 minutes at three significant digits: 0.1% error at every value. */
const HIGHEST_US = 600_000_000;

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  min: number;
  max: number;
  mean: number;
}

/**
 * An HDR histogram of latencies recorded in microseconds and read in milliseconds. Kept raw in the
 * results file (compressed base64) so a report can merge runs or read any percentile later.
 */
export class LatencyHistogram {
  private readonly h: hdr.Histogram;

  constructor(from?: hdr.Histogram) {
    this.h =
      from ??
      hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, useWebAssembly: false });
  }

  static decode(base64: string): LatencyHistogram {
    return new LatencyHistogram(hdr.decodeFromCompressedBase64(base64, 32, false));
  }

  recordMs(ms: number): void {
    this.h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** The latency at a percentile (0-100), in milliseconds. */
  percentile(p: number): number {
    return this.h.getValueAtPercentile(p) / 1000;
  }

  summary(): LatencySummary {
    const empty = this.count === 0;
    const ms = (us: number) => (empty ? 0 : us / 1000);
    return {
      count: this.count,
      p50: ms(this.h.getValueAtPercentile(50)),
      p90: ms(this.h.getValueAtPercentile(90)),
      p95: ms(this.h.getValueAtPercentile(95)),
      p99: ms(this.h.getValueAtPercentile(99)),
      p999: ms(this.h.getValueAtPercentile(99.9)),
      min: ms(this.h.minNonZeroValue),
      max: ms(this.h.maxValue),
      mean: ms(this.h.mean),
    };
  }

  add(other: LatencyHistogram): void {
    this.h.add(other.h);
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }
}
