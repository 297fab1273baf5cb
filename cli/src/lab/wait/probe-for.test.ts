import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHealthy, statusSpec } from './probe-for.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A listener that answers nothing and counts the bytes each connection sent before it closed. */
async function silentListener(): Promise<{ port: number; closed: () => Promise<number> }> {
  let done: (bytes: number) => void = () => {};
  const closed = new Promise<number>((r) => {
    done = r;
  });
  const server = createServer((socket) => {
    let bytes = 0;
    socket.on('data', (chunk) => {
      bytes += chunk.length;
    });
    socket.on('error', () => {});
    socket.on('close', () => done(bytes));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as { port: number }).port, closed: () => closed };
}

describe("status's health checks", () => {
  it('checks the broker by its open port, sending it nothing (no AMQP login, no broker log lines)', async () => {
    const listener = await silentListener();
    expect(await probeHealthy({ kind: 'amqp', url: `amqp://user:pw@127.0.0.1:${listener.port}` }, 1000, 1)).toBe(true);
    expect(await listener.closed()).toBe(0);
  });

  it('leaves every other check as its start-up probe', () => {
    const redis = { kind: 'redis', host: '127.0.0.1', port: 6379, password: 'pw' } as const;
    expect(statusSpec(redis)).toBe(redis);
    expect(statusSpec({ kind: 'amqp', url: 'amqp://u:p@127.0.0.1:5673' })).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5673 });
    expect(statusSpec({ kind: 'amqp', url: 'amqp://u:p@[::1]' })).toEqual({ kind: 'tcp', host: '::1', port: 5672 });
  });
});
