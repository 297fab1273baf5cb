import type { Exchange } from './http-exchange.js';
import { LatencyHistogram } from './latency-histogram.js';

export type Metrics = Record<string, number>;

/** Client and server times of one group of answers (all, a status class, a cache outcome). */
class Group {
  readonly latency = new LatencyHistogram();
  readonly server = new LatencyHistogram();
  count = 0;

  add(ex: Exchange): void {
    this.count++;
    this.latency.recordMs(ex.latencyMs);
    if (ex.serverMs !== undefined) this.server.recordMs(ex.serverMs);
  }
}

const STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'min', 'max', 'mean'] as const;

/**
 * Records the answers of a request or load step: histograms per status class, per exact status
 * and per `X-Cache` outcome, answering instances, expectation failures (the first few kept with
 * their reasons so a failed run says what went wrong).
 */
export class ExchangeRecorder {
  private readonly groups = new Map<string, Group>();
  private readonly instances = new Map<string, number>();
  readonly failures: string[] = [];
  count = 0;
  errors = 0;
  failed = 0;

  private group(key: string): Group {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = new Group()));
    return g;
  }

  record(ex: Exchange, failure: string | null): void {
    this.count++;
    if (ex.error) this.errors++;
    if (failure) {
      this.failed++;
      if (this.failures.length < 5) this.failures.push(failure);
    }
    this.group('').add(ex);
    if (ex.status) {
      this.group(`status.${Math.floor(ex.status / 100)}xx`).add(ex);
      this.group(`status.${ex.status}`).add(ex);
    }
    if (ex.cache) this.group(`cache.${ex.cache}`).add(ex);
    if (ex.instance) this.instances.set(ex.instance, (this.instances.get(ex.instance) ?? 0) + 1);
  }

  /** Answers per instance, the expected ones (from the lab) counted even when they never answered. */
  instanceCounts(expected: string[] = []): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(expected.map((id) => [id, 0]));
    for (const [id, n] of this.instances) out[id] = n;
    return out;
  }

  metrics(durationMs: number, expectedInstances?: string[]): Metrics {
    const m: Metrics = {
      count: this.count,
      errors: this.errors,
      failed: this.failed,
      duration_ms: durationMs,
      rps: durationMs > 0 ? (this.count * 1000) / durationMs : 0,
    };
    for (const [key, g] of this.groups) {
      const prefix = key ? `${key}.` : '';
      if (key) {
        m[`${prefix}count`] = g.count;
        m[`${prefix}ratio`] = g.count / this.count;
      }
      for (const [name, h] of [
        ['latency', g.latency],
        ['server', g.server],
      ] as const) {
        if (h.count === 0) continue;
        const s = h.summary();
        for (const stat of STATS) m[`${prefix}${name}.${stat}`] = s[stat];
      }
    }
    if (expectedInstances) {
      const counts = Object.values(this.instanceCounts(expectedInstances));
      const even = this.count / Math.max(1, counts.length);
      m['instances.count'] = counts.filter((n) => n > 0).length;
      m['instances.missing'] = counts.filter((n) => n === 0).length;
      // The largest share's distance from an even split, as a fraction of the even share. With no
      // answer, or no instance known to share them, there is no split to speak of: no figure.
      if (this.count > 0 && counts.length > 0) m['instances.spread'] = Math.max(...counts.map((n) => Math.abs(n - even))) / even;
    }
    return m;
  }

  histograms(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, g] of this.groups) {
      const prefix = key ? `${key}.` : '';
      if (g.latency.count) out[`${prefix}latency`] = g.latency.encode();
      if (g.server.count) out[`${prefix}server`] = g.server.encode();
    }
    return out;
  }
}
