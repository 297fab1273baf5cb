import { Pool } from 'undici';

export interface UpstreamResponse<T = unknown> {
  status: number;
  body: T;
  /** Milliseconds the call took, for Server-Timing. */
  ms: number;
}

/** How long a replica that could not be reached is passed over. */
const REPLICA_DOWN_MS = 2000;

/** The upstream could not be reached, refused, reset or did not answer in time. */
export class UpstreamUnavailableError extends Error {
  readonly code = 'UPSTREAM_UNAVAILABLE';
}

/**
 * Keep-alive connection pools to the replicas of one upstream service, with a timeout on every
 * call. Calls go round-robin over the replicas; a GET that cannot reach one replica is tried on
 * the next, so one replica down is not an error. Every call forwards the Case-ID.
 */
export class UpstreamClient {
  private readonly pools: { base: string; pool: Pool; downUntil: number }[];
  private next = 0;

  /** `baseUrls`: one URL or a comma-separated list of the upstream's replicas. */
  constructor(
    readonly baseUrls: string,
    timeoutMs: number,
    connections = 64,
  ) {
    this.pools = baseUrls.split(',').map((base) => ({
      base,
      downUntil: 0,
      pool: new Pool(base, {
        connections,
        keepAliveTimeout: 30_000,
        // Replicas are on the same host or network: a connect that takes longer is a dead one.
        connectTimeout: Math.min(timeoutMs, 1000),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      }),
    }));
  }

  /**
   * Round-robin over the replicas, skipping one that failed in the last REPLICA_DOWN_MS (as nginx's
   * max_fails/fail_timeout does) unless every replica did.
   */
  async getJson<T = unknown>(path: string, caseId: string): Promise<UpstreamResponse<T>> {
    const first = this.next++ % this.pools.length;
    const now = Date.now();
    const order = this.pools.map((_, i) => this.pools[(first + i) % this.pools.length]!);
    const tryOrder = [...order.filter((p) => p.downUntil <= now), ...order.filter((p) => p.downUntil > now)];
    const failures: string[] = [];
    for (const target of tryOrder) {
      try {
        const res = await this.getFrom<T>(target.base, target.pool, path, caseId);
        target.downUntil = 0;
        return res;
      } catch (err) {
        if (!(err instanceof UpstreamUnavailableError)) throw err;
        target.downUntil = Date.now() + REPLICA_DOWN_MS;
        failures.push(err.message);
      }
    }
    // Every replica's failure, for the log: which were tried, and what each did.
    throw new UpstreamUnavailableError(failures.join('; '));
  }

  private async getFrom<T>(base: string, pool: Pool, path: string, caseId: string): Promise<UpstreamResponse<T>> {
    const start = process.hrtime.bigint();
    try {
      // The pool's connect, headers and body timeouts bound the call; no per-call timer is needed.
      const res = await pool.request({ method: 'GET', path, headers: { 'case-id': caseId, accept: 'application/json' } });
      const text = await res.body.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      return { status: res.statusCode, body: body as T, ms: Number(process.hrtime.bigint() - start) / 1e6 };
    } catch (err) {
      // Whatever stops the exchange itself (refused, reset, timed out, aborted) means unavailable.
      throw new UpstreamUnavailableError(`${base}${path}: ${(err as Error).message}`);
    }
  }

  /** The upstream's own /health status word, or 'unhealthy' when it cannot be reached. */
  async healthStatus(caseId: string): Promise<string> {
    try {
      const res = await this.getJson<{ status?: string }>('/health', caseId);
      return res.body?.status ?? (res.status === 200 ? 'healthy' : 'unhealthy');
    } catch {
      return 'unhealthy';
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.pool.close()));
  }
}
