import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { amqpProbe, FatalProbeError, redisProbe, waitFor } from './probes.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A TCP server that answers every connection with the given bytes. */
async function answering(reply: string): Promise<number> {
  const server = createServer((socket) => socket.once('data', () => socket.end(reply)));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

describe('probes that can tell a refusal from a wait', () => {
  it('a Redis that refuses the password is fatal at once', async () => {
    const port = await answering('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    await expect(waitFor(redisProbe('127.0.0.1', port, 'pw'), { timeoutMs: 10_000, describe: 'redis' })).rejects.toBeInstanceOf(
      FatalProbeError,
    );
  });

  it('a refused connection is something to wait for, whatever digits its port has', async () => {
    // A port number holding "403" once passed for RabbitMQ's 403 ACCESS_REFUSED. The port is one
    // known closed: bound here, then released.
    const port = await closedPortWith403();
    const started = Date.now();
    await expect(waitFor(amqpProbe(`amqp://u:p@127.0.0.1:${port}`), { timeoutMs: 600, describe: 'rabbitmq' })).rejects.toThrow(
      /not healthy after 600 ms/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});

async function closedPortWith403(): Promise<number> {
  for (const port of [44033, 40300, 40301, 40302, 40303, 14030, 24030, 34030]) {
    const server = createServer();
    const bound = await new Promise<boolean>((r) => {
      server.once('error', () => r(false));
      server.listen(port, '127.0.0.1', () => r(true));
    });
    if (!bound) continue;
    await new Promise<void>((r) => server.close(() => r()));
    return port;
  }
  throw new Error('no free port holding 403 to try');
}
