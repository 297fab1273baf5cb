import type { FastifyInstance } from 'fastify';

export interface DependencyHealth {
  status: string;
  response_time_ms: number;
}

/** A dependency probe: resolves with a status word, throws when the dependency cannot be used. */
export type DependencyProbe = (caseId: string) => Promise<string>;

export interface HealthOptions {
  service: string;
  /** Each probe is raced against this timeout so /health always answers quickly. */
  timeoutMs?: number;
  dependencies: Record<string, DependencyProbe>;
  /** Dependencies the service can answer without (reported, but they do not make it unhealthy). */
  optional?: string[];
}

async function probeOne(probe: DependencyProbe, caseId: string, timeoutMs: number): Promise<DependencyHealth> {
  const start = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  let status: string;
  try {
    status = await Promise.race([probe(caseId), timeout]);
  } catch {
    status = 'unhealthy';
  } finally {
    clearTimeout(timer);
  }
  return { status, response_time_ms: Number((Number(process.hrtime.bigint() - start) / 1e6).toFixed(3)) };
}

/** GET /health: 200 when every dependency is healthy, 503 naming the ones that are not. */
export function registerHealth(app: FastifyInstance, options: HealthOptions): void {
  // A chain of health checks (suggestion → availability → user-service → Postgres) must fit.
  const timeoutMs = options.timeoutMs ?? 2000;
  app.get('/health', { schema: { hide: true } }, async (request, reply) => {
    const names = Object.keys(options.dependencies);
    const results = await Promise.all(names.map((n) => probeOne(options.dependencies[n]!, request.caseId, timeoutMs)));
    const dependencies = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
    const optional = new Set(options.optional ?? []);
    const healthy = results.every((r, i) => r.status === 'healthy' || optional.has(names[i]!));
    reply.code(healthy ? 200 : 503);
    return {
      case_id: request.caseId,
      service: options.service,
      status: healthy ? 'healthy' : 'unhealthy',
      dependencies,
    };
  });
}
