import { parseServerTiming } from '../../../services/shared/src/server-timing.js';
import { componentOfInstance, hopMs } from '../lab/request-record.js';
import type { LogLine } from '../lab/runtime.js';
import { PROBE_CASE_ID } from '../lab/wait/probes.js';

/** The Case-ID of the dashboard's own requests, so it can leave them out of what it shows. */
export const DASHBOARD_CASE_ID = 'w2meet-dashboard';

/**
 * Neither the dashboard's look at the worker's counters nor w2meet's health probes (for the status
 * it shows) are the lab's traffic: the dashboard leaves them out of its counts and its log, or an
 * idle lab would look busy with the dashboard's own watching.
 */
export function isOwnRequest(line: LogLine): boolean {
  const id = line.record?.case_id;
  return id === DASHBOARD_CASE_ID || id === PROBE_CASE_ID;
}

/** Seconds of history a sparkline shows. */
export const HISTORY = 30;
/**
 * Seconds the shown rate is taken over. The last one-second bucket alone reads 0 a moment after a
 * burst; a short window (as k9s and lazydocker keep) shows it for a few seconds and still follows
 * a change within them.
 */
export const RATE_WINDOW = 5;

/** Requests per second over the newest `window` buckets of a one-second history (fewer at the start). */
export function windowRate(perSecond: number[], window = RATE_WINDOW): number {
  const recent = perSecond.slice(-window);
  return recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : 0;
}

export interface ServiceTraffic {
  /** Requests per second, one value a second, oldest first. */
  rps: number[];
  /** Requests per second over the last RATE_WINDOW seconds: the figure shown beside the sparkline. */
  rate: number;
  /** p50 and p99 of the last second with traffic, in ms. */
  p50: number | null;
  p99: number | null;
}

export interface TrafficSnapshot {
  services: Record<string, ServiceTraffic>;
  /** Hits over hits and misses among user-service's cache-aside reads, over the whole history. */
  cacheHitRatio: number | null;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/**
 * Live traffic read from the lab's own `request completed` log lines: nothing is sent to measure
 * it. Lines are counted into the current second; `tick` closes the second for every service.
 */
export class TrafficWindow {
  private current = new Map<string, number[]>();
  private readonly history = new Map<string, ServiceTraffic>();
  private hits: number[] = [];
  private misses: number[] = [];
  private hitsNow = 0;
  private missesNow = 0;

  add(line: LogLine): void {
    const r = line.record;
    if (r?.msg !== 'request completed' || isOwnRequest(line)) return;
    const component = componentOfInstance(line.instance);
    const ms = hopMs(r);
    if (ms === undefined) return;
    const list = this.current.get(component) ?? [];
    list.push(ms);
    this.current.set(component, list);
    const cache = parseServerTiming(typeof r.server_timing === 'string' ? r.server_timing : undefined).get('cache')?.desc;
    if (cache === 'HIT') this.hitsNow++;
    if (cache === 'MISS') this.missesNow++;
  }

  /** Closes the current second; `components` keeps a quiet service's line at zero. */
  tick(components: string[]): TrafficSnapshot {
    for (const name of new Set([...components, ...this.current.keys()])) {
      const samples = (this.current.get(name) ?? []).sort((a, b) => a - b);
      const t = this.history.get(name) ?? { rps: [], rate: 0, p50: null, p99: null };
      t.rps = [...t.rps, samples.length].slice(-HISTORY);
      t.rate = windowRate(t.rps);
      if (samples.length) {
        t.p50 = percentile(samples, 50);
        t.p99 = percentile(samples, 99);
      }
      this.history.set(name, t);
    }
    this.current = new Map();
    this.hits = [...this.hits, this.hitsNow].slice(-HISTORY);
    this.misses = [...this.misses, this.missesNow].slice(-HISTORY);
    this.hitsNow = 0;
    this.missesNow = 0;
    const h = this.hits.reduce((a, b) => a + b, 0);
    const m = this.misses.reduce((a, b) => a + b, 0);
    return { services: Object.fromEntries(this.history), cacheHitRatio: h + m ? h / (h + m) : null };
  }
}
