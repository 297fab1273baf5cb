import { Pool } from 'undici';
import { parseServerTiming } from '../../../services/shared/src/server-timing.js';
import type { Clock } from './clock.js';
import { CONTRACT_SHAPE, type HttpShape } from './http-shape.js';

export type { Exchange, OutgoingRequest } from '../shared/exchange.js';
import type { Exchange, OutgoingRequest } from '../shared/exchange.js';

/**
 * The engine's HTTP client: one keep-alive pool to the target with a deadline on every request.
 * Latency is read on the engine's clock, so it is the latency of record.
 */
export class HttpTarget {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    private readonly clock: Clock,
    connections = 16,
    private readonly timeoutMs = 10_000,
    private readonly shape: HttpShape = CONTRACT_SHAPE,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async send(req: OutgoingRequest, startUs = this.clock.nowUs()): Promise<Exchange> {
    const headers: Record<string, string> = {};
    // The Case-ID goes under the header this deployment reads it from.
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase() === 'case-id' ? this.shape.caseIdHeader : k] = v;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    const elapsed = () => (this.clock.nowUs() - startUs) / 1000;
    try {
      const res = await this.pool.request({
        path: this.shape.path(req.method, req.path),
        method: req.method as 'GET',
        headers,
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await res.body.text();
      const latencyMs = elapsed();
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : String(v);
      const { cacheHeader, serverTimingHeader, instanceHeader } = this.shape;
      const timing = parseServerTiming(serverTimingHeader ? flat[serverTimingHeader] : undefined);
      return {
        status: res.statusCode,
        headers: flat,
        text,
        latencyMs,
        serverMs: timing.get('app')?.dur,
        cache: cacheHeader ? flat[cacheHeader] : undefined,
        instance: instanceHeader ? flat[instanceHeader] : undefined,
      };
    } catch (err) {
      return { status: 0, headers: {}, text: '', latencyMs: elapsed(), error: (err as Error).message || String(err) };
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
