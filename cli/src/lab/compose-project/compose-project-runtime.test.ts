import { dirname, resolve } from 'node:path';
import type { ContainerCreateOptions } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../testing/fake-engine.js';
import { COMPOSE_NUMBER, COMPOSE_ONEOFF, COMPOSE_PROJECT, COMPOSE_SERVICE } from './compose-command.js';
import { ComposeProjectRuntime } from './compose-project-runtime.js';

const FAST = { settleMs: 30, pollMs: 5, timeoutMs: 2000 };

/** A container as compose makes one: its labels, on the project's default network, started. */
async function container(
  engine: FakeEngine,
  project: string,
  service: string,
  n = 1,
  extra: ContainerCreateOptions = {},
  oneoff = 'False',
) {
  const id = await engine.create({
    Image: `${project}-${service}`,
    ...extra,
    Labels: { [COMPOSE_PROJECT]: project, [COMPOSE_SERVICE]: service, [COMPOSE_NUMBER]: String(n), [COMPOSE_ONEOFF]: oneoff },
    HostConfig: { NetworkMode: `${project}_default`, ...extra.HostConfig },
  });
  await engine.start(id);
  return id;
}

/** A student's project `w2` (two availability replicas, a healthchecked Postgres, a service w2meet does not know) beside another project. */
async function setup() {
  const engine = new FakeEngine();
  const ids = {
    user: await container(engine, 'w2', 'user-service', 1, { ExposedPorts: { '3000/tcp': {} } }),
    avail1: await container(engine, 'w2', 'availability-service', 1),
    avail2: await container(engine, 'w2', 'availability-service', 2),
    gateway: await container(engine, 'w2', 'gateway', 1, {
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8088' }] } },
    }),
    postgres: await container(engine, 'w2', 'postgres', 1, { Healthcheck: { Test: ['CMD', 'pg_isready'] } }),
    mailer: await container(engine, 'w2', 'mailer'),
    oneoff: await container(engine, 'w2', 'user-service', 1, {}, 'True'),
    otherUser: await container(engine, 'other', 'user-service'),
  };
  engine.containers.get(ids.postgres)!.health = 'healthy';
  const runtime = new ComposeProjectRuntime({ engine, project: 'w2', wait: FAST });
  return { engine, ids, runtime };
}

const running = (engine: FakeEngine, id: string) => engine.containers.get(id)!.running;

describe('a compose project someone else wrote, on a fake Engine', () => {
  it("lists every service and replica of the project, named as w2meet names instances, with the gateway's URL", async () => {
    const { engine, ids, runtime } = await setup();
    const status = (await runtime.status('w2'))!;
    const byId = Object.fromEntries(status.instances.map((i) => [i.id, i]));
    expect(Object.keys(byId)).toEqual([
      'availability-service-1',
      'availability-service-2',
      'gateway',
      'mailer',
      'postgres',
      'user-service',
    ]);
    expect(status).toMatchObject({ lab: 'w2', runtime: 'compose', gatewayUrl: 'http://127.0.0.1:8088' });
    expect(status.createdAt).toBe((await engine.inspect(ids.user)).Created);
    expect(byId['availability-service-2']).toMatchObject({ name: 'availability-service', replica: 2, kind: 'service', state: 'running' });
    expect(byId.gateway).toMatchObject({ kind: 'gateway', address: '127.0.0.1:8088' });
    expect(byId.postgres).toMatchObject({ kind: 'infra', health: 'healthy' });
    // No healthcheck: w2meet cannot tell, and does not pretend to.
    expect(byId['user-service']).toMatchObject({ health: 'unknown', address: `${engine.containers.get(ids.user)!.ip}:3000`, pid: 4242 });
    expect(byId.mailer).toMatchObject({ kind: 'service', address: '-', image: 'w2-mailer', dependsOn: [], timeline: {} });
  });

  it('has no status for a project without containers, and refuses a project it was not made for', async () => {
    const { engine, runtime } = await setup();
    expect(await new ComposeProjectRuntime({ engine, project: 'none' }).status('none')).toBeNull();
    await expect(runtime.status('other')).rejects.toMatchObject({ code: 'USAGE' });
  });

  it("stops a service's container in this project only, not the same service of another project", async () => {
    const { engine, ids, runtime } = await setup();
    expect(await runtime.fault('w2', 'stop', 'user-service')).toEqual(['user-service']);
    expect(running(engine, ids.user)).toBe(false);
    expect(running(engine, ids.otherUser)).toBe(true);
    expect(running(engine, ids.oneoff)).toBe(true);
    expect(engine.calls.filter((c) => c.startsWith('stop'))).toEqual([`stop ${ids.user}`]);
  });

  it('targets one replica with name#N, and every replica by the service name', async () => {
    const { engine, ids, runtime } = await setup();
    expect(await runtime.fault('w2', 'kill', 'availability-service#2')).toEqual(['availability-service-2']);
    expect([running(engine, ids.avail1), running(engine, ids.avail2)]).toEqual([true, false]);
    expect(await runtime.fault('w2', 'pause', 'availability-service')).toEqual(['availability-service-1', 'availability-service-2']);
    expect(engine.containers.get(ids.avail1)!.paused).toBe(true);
  });

  it('starts a stopped container and returns once it has stayed up, or once its healthcheck says healthy', async () => {
    const { engine, ids, runtime } = await setup();
    await runtime.fault('w2', 'stop', 'user-service');
    const t0 = Date.now();
    expect(await runtime.fault('w2', 'start', 'user-service')).toEqual(['user-service']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(FAST.settleMs);
    expect(running(engine, ids.user)).toBe(true);

    engine.containers.get(ids.postgres)!.health = 'starting';
    setTimeout(() => {
      engine.containers.get(ids.postgres)!.health = 'healthy';
    }, 60);
    const t1 = Date.now();
    expect(await runtime.fault('w2', 'restart', 'postgres')).toEqual(['postgres']);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(50);
  });

  it('fails a start whose container exits, with the end of its log', async () => {
    const { engine, ids, runtime } = await setup();
    await runtime.fault('w2', 'stop', 'mailer');
    setTimeout(() => Object.assign(engine.containers.get(ids.mailer)!, { running: false, exitCode: 3 }), 10);
    await expect(runtime.fault('w2', 'start', 'mailer')).rejects.toMatchObject({
      code: 'LAB_START',
      message: expect.stringMatching(/mailer exited \(code 3\)[\s\S]*log of /),
    });
  });

  it('names what can be targeted when the target is unknown, and refuses a memory alarm', async () => {
    const { runtime } = await setup();
    await expect(runtime.fault('w2', 'stop', 'nope')).rejects.toMatchObject({
      code: 'USAGE',
      message: 'no component or replica named "nope" in this lab',
      hint: expect.stringContaining('availability-service#2'),
    });
    await expect(runtime.fault('w2', 'alarm', 'rabbitmq')).rejects.toMatchObject({
      code: 'FAULT',
      hint: expect.stringContaining('rabbitmqctl'),
    });
  });

  it('reads logs tagged by instance, keeping the lines that name a case anywhere in them', async () => {
    const { engine, runtime } = await setup();
    engine.logLines = async function* () {
      yield '[case-7] GET /users 200';
      yield '{"msg":"slot taken","caseId":"case-7"}';
      yield '[case-8] GET /users 200';
    };
    const lines = [];
    for await (const l of runtime.logs('w2', { target: 'user-service', caseId: 'case-7' })) lines.push(l);
    expect(lines).toEqual([
      { instance: 'user-service', line: '[case-7] GET /users 200', record: null },
      { instance: 'user-service', line: '{"msg":"slot taken","caseId":"case-7"}', record: { msg: 'slot taken', caseId: 'case-7' } },
    ]);
  });

  it('neither starts a project nor takes down one it was not given the file of, and has no credentials for it', async () => {
    const { engine, runtime } = await setup();
    await expect(runtime.up()).rejects.toMatchObject({ code: 'USAGE', hint: expect.stringContaining('--compose') });
    await expect(runtime.down('w2')).rejects.toMatchObject({ code: 'USAGE' });
    expect(await runtime.credentials('w2')).toBeNull();

    const runs: { args: string[]; cwd?: unknown }[] = [];
    const run = async (_command: string, args: string[], options: { cwd?: unknown }) => {
      runs.push({ args, cwd: options.cwd });
      return '';
    };
    const file = 'students/ana/docker-compose.yml';
    const owned = new ComposeProjectRuntime({ engine, project: 'w2', file, compose: { compose: ['docker', 'compose'], run } });
    expect((await owned.down('w2')).stopped).toContain('availability-service-2');
    expect(runs).toEqual([{ args: ['compose', '-f', resolve(file), '-p', 'w2', 'down', '--remove-orphans'], cwd: dirname(resolve(file)) }]);
  });
});
