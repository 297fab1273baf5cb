import type { ProbeSpec } from './probe-spec.js';
import { amqpProbe, epmdProbe, FatalProbeError, httpProbe, postgresProbe, redisProbe, tcpProbe, type Probe } from './probes.js';

export function probeFor(spec: ProbeSpec): Probe {
  switch (spec.kind) {
    case 'http':
      return httpProbe(spec.url);
    case 'postgres':
      return postgresProbe(spec.dsn);
    case 'redis':
      return redisProbe(spec.host, spec.port, spec.password);
    case 'amqp':
      return amqpProbe(spec.url);
    case 'tcp':
      return tcpProbe(spec.host, spec.port);
    case 'epmd':
      return epmdProbe(spec.host, spec.port);
  }
}

/**
 * What `status` checks (every 3 s while a dashboard watches) in place of a start-up probe. For the
 * broker, its port accepting a connection rather than a whole AMQP login: each login costs
 * RabbitMQ about 90 ms of work and three lines of its log (accepting, authenticated, closing),
 * while a connection closed before its first byte is logged at debug level only. Its Engine
 * healthcheck is the same open port. The start-up wait keeps the login: that is what proves the
 * lab's credentials. A broker that accepts connections but no longer answers would read healthy
 * here; the worker's own `/health` (it checks its broker connection) still says so.
 */
export function statusSpec(spec: ProbeSpec): ProbeSpec {
  if (spec.kind !== 'amqp') return spec;
  const url = new URL(spec.url);
  return { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 5672) };
}

/**
 * Health for `status`: healthy when one of `attempts` checks passes, each with a short timeout.
 * A single slow answer on a loaded machine does not make an instance unhealthy (Docker's own
 * checks likewise need several failures in a row).
 */
export async function probeHealthy(spec: ProbeSpec, timeoutMs = 2000, attempts = 2): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await checkWithin(statusSpec(spec), timeoutMs)) return true;
  }
  return false;
}

/**
 * One check within the timeout, for a health wait: false while it does not answer as it should,
 * and a FatalProbeError thrown through when waiting cannot help (credentials refused).
 */
export function probeOnce(spec: ProbeSpec, timeoutMs: number): Promise<boolean> {
  return checkWithin(spec, timeoutMs, true);
}

async function checkWithin(spec: ProbeSpec, timeoutMs: number, throwFatal = false): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await Promise.race([
      probeFor(spec)(controller.signal),
      new Promise((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('timeout')))),
    ]);
    return true;
  } catch (err) {
    if (throwFatal && err instanceof FatalProbeError) throw err;
    return false;
  } finally {
    clearTimeout(timer);
  }
}
