import { Pool } from 'undici';
import { parseServerTiming } from '../../services/shared/src/server-timing.js';

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  /** Requests per second over the measured loop. */
  rps: number;
  /** Median of the server's own `app` time from Server-Timing, where the response had one. */
  serverP50: number | null;
  statuses: Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export interface LoopOptions {
  origin: string;
  /** Path of each request; called with the request's index so a loop can vary it. */
  path: (i: number) => string;
  count: number;
  warmup: number;
  connections: number;
  headers?: Record<string, string>;
}

/**
 * A closed loop with the microsecond clock: `connections` workers each send the next request when
 * the last one answered. Latency is taken around each request with process.hrtime.bigint.
 */
export async function closedLoop(options: LoopOptions): Promise<Summary> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const client = async (i: number) => {
    const start = process.hrtime.bigint();
    const res = await pool.request({ method: 'GET', path: options.path(i), headers: options.headers });
    await res.body.dump();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const header = res.headers['server-timing'];
    const app = parseServerTiming(Array.isArray(header) ? header[0] : header).get('app')?.dur;
    return { ms, status: res.statusCode, app };
  };
  try {
    for (let i = 0; i < options.warmup; i++) await client(i);
    const latencies: number[] = [];
    const server: number[] = [];
    const statuses: Record<string, number> = {};
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (next < options.count) {
          const i = next++;
          const r = await client(i);
          latencies.push(r.ms);
          if (r.app !== undefined) server.push(r.app);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    return {
      n: latencies.length,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      rps: latencies.length / seconds,
      serverP50: server.length ? median(server) : null,
      statuses,
    };
  } finally {
    await pool.close();
  }
}
