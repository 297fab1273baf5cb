import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetError } from '../errors.js';
import { freePort } from '../lab/free-port.js';
import type { InstanceStatus, LabStatus, Runtime } from '../lab/runtime.js';
import { loadProfile } from '../profiles/load-profile.js';
import { labTarget, projectTarget, urlTarget } from './engine-target.js';

const runtime = { logs: async function* () {} } as unknown as Runtime;

describe('what a target offers', () => {
  it('a compose project offers faults and its logs, less what its profile turns off', async () => {
    const course = await loadProfile('course');
    expect([...projectTarget('http://127.0.0.1:9', course, 'p', runtime).capabilities].sort()).toEqual(['faults', 'logs']);
    const off = { ...course, faults: 'none' as const, logs: { ...course.logs, from: 'none' as const } };
    const target = projectTarget('http://127.0.0.1:9', off, 'p', runtime);
    expect([...target.capabilities]).toEqual([]);
    expect(target.logs).toBeUndefined();
  });

  it('a URL offers HTTP alone, and logs only where its profile names files', async () => {
    expect([...urlTarget('http://127.0.0.1:9/api/', await loadProfile('course')).capabilities]).toEqual([]);
  });
});

describe('a lab on a manager of another machine, measured through its tunnel', () => {
  // Real sockets on this machine's 127.0.0.1 stand for the tunnel's ends: an HTTP server for a
  // gateway that answers, and ports that accept and close at once, as `ssh -L` does when nothing
  // answers at the far end. The runtime is a stand-in that reports such a lab's status, with
  // Postgres and RabbitMQ published by --expose-infra and no credentials readable here (so the
  // infrastructure is asked for an open port only; its logins are the int test's).
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));
  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  };
  const accepting = () => listen(createServer((socket) => socket.destroy()));
  const answering = () => listen(createHttpServer((_req, res) => res.end('ok')));
  const labOn = (gateway: number, postgres: number, rabbitmq: number) => {
    const infra = (name: string, port: number) => ({ id: name, name, kind: 'infra', address: `127.0.0.1:${port}` }) as InstanceStatus;
    const status: LabStatus = {
      lab: 'demo',
      runtime: 'swarm',
      gatewayUrl: `http://127.0.0.1:${gateway}`,
      gatewayVia: `reach it from here with \`ssh -N -L ${gateway}:127.0.0.1:${gateway} manager.lan\``,
      createdAt: '',
      instances: [infra('postgres', postgres), infra('rabbitmq', rabbitmq)],
    };
    return { status: async () => status, credentials: async () => null, logs: async function* () {} } as unknown as Runtime;
  };

  it('goes on when the gateway answers HTTP and every tunnelled port is open here', async () => {
    const { target } = await labTarget('demo', labOn(await answering(), await accepting(), await accepting()), await loadProfile('w2meet'));
    expect(target.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('stops before any step, naming what does not answer and the tunnel, when a port of it is not carried here', async () => {
    const closed = await freePort();
    const err = await labTarget('demo', labOn(await answering(), await accepting(), closed), await loadProfile('w2meet')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).message).toBe(`lab demo's rabbitmq 127.0.0.1:${closed} does not answer here`);
    expect((err as TargetError).hint).toContain('ssh -N -L');
  });

  it('stops when the gateway’s port is open but nothing answers HTTP behind it (a tunnel whose far end is gone)', async () => {
    const gateway = await accepting();
    const err = await labTarget('demo', labOn(gateway, await accepting(), await accepting()), await loadProfile('w2meet')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).message).toBe(`lab demo's gateway 127.0.0.1:${gateway} does not answer here`);
  });
});
