import { connect as netConnect } from 'node:net';
import { request } from 'undici';
import pg from 'pg';
import amqp from 'amqplib';

/**
 * Readiness probes: each resolves when the thing answers as it should and throws otherwise. They
 * are small and swappable; `waitFor` polls one until it passes.
 */
export type Probe = (signal: AbortSignal) => Promise<void>;

/**
 * The Case-ID of w2meet's own health probes, so the lab's logs tell them from real traffic (the
 * dashboard leaves them out of what it counts).
 */
export const PROBE_CASE_ID = 'w2meet-probe';

export function httpProbe(url: string, expectStatus = 200): Probe {
  return async (signal) => {
    const res = await request(url, { signal, headersTimeout: 2000, bodyTimeout: 2000, headers: { 'Case-ID': PROBE_CASE_ID } });
    await res.body.dump();
    if (res.statusCode !== expectStatus) throw new Error(`${url} answered ${res.statusCode}`);
  };
}

/** Sends a line over TCP and expects the reply to start with `expect` (Redis PING, say). */
export function tcpExchangeProbe(host: string, port: number, send: string, expect: string): Probe {
  return (signal) =>
    new Promise((resolve, reject) => {
      const socket = netConnect({ host, port });
      let data = '';
      const fail = (err: Error) => {
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error(`no answer from ${host}:${port}`)), 2000);
      signal.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
      socket.on('connect', () => socket.write(send));
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (data.length >= expect.length) {
          clearTimeout(timer);
          socket.destroy();
          if (data.startsWith(expect)) resolve();
          else reject(new Error(`${host}:${port} answered ${JSON.stringify(data.slice(0, 40))}`));
        }
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        fail(err);
      });
    });
}

/**
 * Asks epmd for its names (NAMES_REQ: a length of 1, then `n`) and expects its answer. A bare
 * connect-and-close would do too, but epmd complains about each one on its terminal.
 */
export function epmdProbe(host: string, port: number): Probe {
  return (signal) =>
    new Promise((resolve, reject) => {
      const socket = netConnect({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error(`no answer from epmd at ${host}:${port}`)), 2000);
      const onAbort = () => socket.destroy(new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (err?: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        if (err) reject(err);
        else resolve();
      };
      socket.on('connect', () => socket.write(Buffer.from([0, 1, 0x6e])));
      // The answer starts with epmd's own port, four bytes: enough to know it is epmd and alive.
      let got = 0;
      socket.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= 4) done();
      });
      socket.on('error', (err) => done(err));
      socket.on('close', () => done(got >= 4 ? undefined : new Error(`epmd at ${host}:${port} closed without answering`)));
    });
}

export function tcpProbe(host: string, port: number): Probe {
  return (signal) =>
    new Promise((resolve, reject) => {
      const socket = netConnect({ host, port });
      signal.addEventListener('abort', () => socket.destroy(new Error('aborted')), { once: true });
      socket.on('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', reject);
    });
}

/**
 * A probe's answer that waiting will not change: the server is up and refuses the lab's
 * credentials (its data was made with others). `waitFor` gives up at once with it.
 */
export class FatalProbeError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const CREDENTIALS_HINT =
  "its data was made with other credentials than the lab has now: `w2meet down -v` removes the lab's data " +
  '(and with it the old credentials), then `w2meet up` starts afresh';

/** Authenticates when the lab's Redis has a password (labs made before it had one do not), then PING. */
export function redisProbe(host: string, port: number, password?: string): Probe {
  const resp = (...parts: string[]) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
  if (!password) return tcpExchangeProbe(host, port, resp('PING'), '+PONG');
  const probe = tcpExchangeProbe(host, port, resp('AUTH', password) + resp('PING'), '+OK\r\n+PONG');
  return async (signal) => {
    try {
      await probe(signal);
    } catch (err) {
      const message = (err as Error).message;
      if (/WRONGPASS|invalid password/.test(message))
        throw new FatalProbeError(`Redis at ${host}:${port} refused the lab's password`, CREDENTIALS_HINT);
      throw err;
    }
  };
}

export function postgresProbe(connectionString: string): Probe {
  return async () => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      // 28P01: wrong password; 28000: no such role or no pg_hba entry for it.
      const code = (err as { code?: string }).code;
      if (code === '28P01' || code === '28000')
        throw new FatalProbeError(`Postgres refused the lab's credentials: ${(err as Error).message}`, CREDENTIALS_HINT);
      throw err;
    } finally {
      await client.end().catch(() => {});
    }
  };
}

export function amqpProbe(url: string): Probe {
  return async () => {
    let connection: Awaited<ReturnType<typeof amqp.connect>>;
    try {
      connection = await amqp.connect(url, { timeout: 2000 });
    } catch (err) {
      const message = (err as Error).message;
      if (/ACCESS[_-]REFUSED/.test(message))
        throw new FatalProbeError(`RabbitMQ refused the lab's credentials: ${message}`, CREDENTIALS_HINT);
      throw err;
    }
    connection.on('error', () => {});
    await connection.close();
  };
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /**
   * Checked between attempts: why the instance is gone (a process that exited, a container that
   * stopped), or null while it runs. One that is gone will never become healthy, so stop early.
   */
  exited?: () => string | null | Promise<string | null>;
  describe: string;
  /**
   * When given, `timeoutMs` counts from when this resolves (it must not reject); until then the
   * probe runs, and a death or an abort ends the wait, but no limit does.
   */
  countsFrom?: Promise<void>;
}

/** Polls a probe until it passes; throws with the last probe error on timeout, death or abort. */
export async function waitFor(probe: Probe, options: WaitOptions): Promise<void> {
  let deadline = options.countsFrom ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  options.countsFrom?.then(() => {
    deadline = Date.now() + options.timeoutMs;
  });
  const interval = options.intervalMs ?? 50;
  let lastError = 'no attempt yet';
  for (;;) {
    if (options.signal?.aborted) throw new Error(`${options.describe}: aborted`);
    const gone = options.exited ? await options.exited() : null;
    if (gone) throw new Error(`${options.describe}: ${gone}`);
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(), Math.min(2000, Math.max(100, deadline - Date.now())));
    try {
      await probe(attempt.signal);
      return;
    } catch (err) {
      if (err instanceof FatalProbeError) throw new FatalProbeError(`${options.describe}: ${err.message}`, err.hint);
      lastError = (err as Error).message;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${options.describe}: not healthy after ${options.timeoutMs} ms (last check: ${lastError})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
