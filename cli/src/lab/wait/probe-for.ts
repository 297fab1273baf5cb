import type { ProbeSpec } from '../process/state.js';
import { amqpProbe, httpProbe, postgresProbe, redisProbe, tcpProbe, type Probe } from './probes.js';

export function probeFor(spec: ProbeSpec): Probe {
  switch (spec.kind) {
    case 'http':
      return httpProbe(spec.url);
    case 'postgres':
      return postgresProbe(spec.dsn);
    case 'redis':
      return redisProbe(spec.host, spec.port);
    case 'amqp':
      return amqpProbe(spec.url);
    case 'tcp':
      return tcpProbe(spec.host, spec.port);
  }
}

/** One check with a short timeout, for `status`: healthy or unhealthy, never waiting long. */
export async function checkOnce(spec: ProbeSpec, timeoutMs = 1500): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await Promise.race([
      probeFor(spec)(controller.signal),
      new Promise((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('timeout')))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
