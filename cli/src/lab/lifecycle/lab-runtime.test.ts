import { describe, expect, it } from 'vitest';
import { AbortedError, LabStartError, NoLabError, UsageError } from '../../errors.js';
import { buildLabSpec, type LabSpec } from '../spec.js';
import { FakeDriver } from '../../testing/fake-driver.js';
import { LabRuntime } from './lab-runtime.js';

const secrets = { postgresUser: 'u', postgresPassword: 'p', postgresDb: 'd', rabbitUser: 'r', rabbitPassword: 'rp', redisPassword: 'x' };

/** The lab without Postgres (whose schema step needs a real server): Redis, RabbitMQ, the services, the gateway. */
function spec(): LabSpec {
  const s = buildLabSpec(secrets, { name: 'unit', gatewayPort: 0, replicas: { 'availability-service': 2, 'suggestion-service': 1 } });
  s.components = s.components
    .filter((c) => c.name !== 'postgres')
    .map((c) => (c.name === 'user-service' ? { ...c, dependsOn: ['redis'] } : c));
  return s;
}

function setup(timeoutMs?: number) {
  const driver = new FakeDriver();
  const runtime = new LabRuntime(driver, { probeFor: driver.probeFor, probeHealthy: driver.probeHealthy, startTimeoutMs: () => timeoutMs });
  return { driver, runtime };
}

const starts = (events: string[]) => events.filter((e) => e.startsWith('start ')).map((e) => e.slice(6));
const stops = (events: string[]) => events.filter((e) => e.startsWith('stop ')).map((e) => e.slice(5));

describe('the lifecycle: up', () => {
  it('starts each instance once what it needs is healthy, and the gateway once its upstreams have only started', async () => {
    const { driver, runtime } = setup();
    driver.healthyAfterMs = { rabbitmq: 300, 'user-service': 150, 'worker-service': 200 };
    const status = await runtime.up(spec());
    const order = starts(driver.events);
    // The worker needs the broker healthy; the user service needs only Redis, so it starts long before.
    expect(order.indexOf('worker-service')).toBeGreaterThan(order.indexOf('user-service'));
    const byId = new Map(status.instances.map((i) => [i.id, i]));
    expect(byId.get('worker-service')!.timeline.started!).toBeGreaterThanOrEqual(byId.get('rabbitmq')!.timeline.healthy!);
    expect(byId.get('user-service')!.timeline.started!).toBeLessThan(byId.get('rabbitmq')!.timeline.healthy!);
    // The gateway waits for the worker to start, not to be healthy.
    expect(byId.get('gateway')!.timeline.started!).toBeGreaterThanOrEqual(byId.get('worker-service')!.timeline.started!);
    expect(byId.get('gateway')!.timeline.started!).toBeLessThan(byId.get('worker-service')!.timeline.healthy!);
    expect(status.instances.every((i) => i.state === 'running' && i.health === 'healthy')).toBe(true);
    expect(byId.get('user-service')!.dependsOn).toEqual(['redis']);
    expect(byId.get('gateway')!.startsAfter).toContain('availability-service-2');
  });

  it("counts a start's timeout from when the engine has prepared it (an image pulled on a new node)", async () => {
    const { driver, runtime } = setup(300);
    driver.preparingMs = { redis: 600 };
    driver.healthyAfterMs = { redis: 50 };
    const status = await runtime.up(spec());
    expect(status.instances.find((i) => i.id === 'redis')!.health).toBe('healthy');
  });

  it('counts a service’s start limit from when the service its health asks about is healthy (a CI run’s availability ran out waiting for a slow chain)', async () => {
    const { driver, runtime } = setup(300);
    // The chain below availability takes 450 ms, longer than anyone's limit, though each part keeps
    // to its own: Redis answers after 250 ms, user-service (started then) 200 ms later. Availability,
    // started at once, answers only once user-service does, and suggestion only once availability does.
    driver.healthyAfterMs = { redis: 250, 'user-service': 200 };
    driver.answersAfter = {
      'availability-service-1': 'user-service',
      'availability-service-2': 'user-service',
      'suggestion-service': 'availability-service-1',
    };
    const status = await runtime.up(spec());
    const byId = new Map(status.instances.map((i) => [i.id, i]));
    expect(byId.get('availability-service-1')!.health).toBe('healthy');
    // Started together, not one after the other.
    expect(byId.get('availability-service-1')!.timeline.started!).toBeLessThan(byId.get('user-service')!.timeline.healthy!);
  });

  it('still reports at once a service that dies while what its health asks about is coming up', async () => {
    const { driver, runtime } = setup(300);
    driver.neverHealthy.add('redis');
    driver.exitsAtStart.add('availability-service-1');
    driver.answersAfter = { 'availability-service-1': 'user-service' };
    // Its death, not Redis's later timeout, is the failure reported.
    await expect(runtime.up(spec())).rejects.toThrow(/availability-service-1: the process exited/);
  });

  it('returns the lab as it is when it is already up, starting nothing again', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    const before = driver.events.length;
    const messages: string[] = [];
    await runtime.up(spec(), { onProgress: (e) => e.type === 'info' && messages.push(e.message) });
    expect(driver.events.slice(before)).toEqual([]);
    expect(messages).toEqual(['lab unit is already up']);
  });

  it('cleans up what an earlier run left half up, then starts afresh', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    driver.states.set('redis', 'exited');
    await runtime.up(spec());
    expect(driver.events.filter((e) => e.startsWith('remove'))).toEqual(['remove unit']);
    expect(starts(driver.events).filter((id) => id === 'redis')).toHaveLength(2);
  });

  it('stops and removes everything it started when one instance never becomes healthy, and says why with its log', async () => {
    const { driver, runtime } = setup(300);
    driver.neverHealthy.add('user-service');
    const err = await runtime.up(spec()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabStartError);
    expect((err as Error).message).toMatch(/user-service: not healthy after 300 ms/);
    expect((err as Error).message).toContain('fake log');
    expect([...driver.states.values()].every((s) => s !== 'running')).toBe(true);
    expect(driver.events.at(-1)).toBe('remove unit');
  });

  it('fails at once, with its log, when an instance exits while starting', async () => {
    const { driver, runtime } = setup(60_000);
    driver.exitsAtStart.add('redis');
    const started = Date.now();
    await expect(runtime.up(spec())).rejects.toThrow(/redis: the process exited/);
    expect(Date.now() - started).toBeLessThan(5000);
    // What waits on Redis never started.
    expect(starts(driver.events)).not.toContain('user-service');
  });

  it('cleans up when an instance cannot be started at all', async () => {
    const { driver, runtime } = setup();
    driver.failsToStart.add('rabbitmq');
    await expect(runtime.up(spec())).rejects.toThrow(/rabbitmq could not be started/);
    expect([...driver.states.values()].every((s) => s !== 'running')).toBe(true);
    expect(driver.events.at(-1)).toBe('remove unit');
  });

  it('hears an interrupt while the lab is being made, before anything starts', async () => {
    const { driver, runtime } = setup();
    let release = () => {};
    driver.creating = new Promise((r) => (release = r));
    const controller = new AbortController();
    const up = runtime.up(spec(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(up).rejects.toBeInstanceOf(AbortedError);
    release();
    expect(starts(driver.events)).toEqual([]);
  });

  it('hears an interrupt that came before it began', async () => {
    const { driver, runtime } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(runtime.up(spec(), { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    expect(starts(driver.events)).toEqual([]);
  });

  it('stops everything it started when interrupted while instances start', async () => {
    const { driver, runtime } = setup();
    driver.healthyAfterMs = { rabbitmq: 2000 };
    const controller = new AbortController();
    const up = runtime.up(spec(), {
      signal: controller.signal,
      onProgress: (e) => e.type === 'healthy' && e.id === 'user-service' && controller.abort(),
    });
    const err = await up.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as Error).message).toMatch(/everything it started was stopped/);
    expect(starts(driver.events)).not.toContain('worker-service');
    expect([...driver.states.values()].every((s) => s !== 'running')).toBe(true);
  });
});

describe('the lifecycle: down', () => {
  it('stops in reverse dependency order: the gateway, then the services, then what they need', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    driver.events.length = 0;
    const { stopped } = await runtime.down('unit', { volumes: true });
    const order = stops(driver.events);
    expect(order[0]).toBe('gateway');
    expect(order.indexOf('user-service')).toBeLessThan(order.indexOf('redis'));
    expect(order.indexOf('worker-service')).toBeLessThan(order.indexOf('rabbitmq'));
    expect(order.indexOf('suggestion-service')).toBeLessThan(order.indexOf('redis'));
    expect(driver.events.at(-1)).toBe('remove unit with volumes');
    expect(stopped).toHaveLength(order.length);
  });

  it('tells an instance that exited to stop too (what it started may live on), but not one stopped on purpose', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    driver.states.set('redis', 'exited');
    driver.states.set('rabbitmq', 'stopped');
    driver.events.length = 0;
    await runtime.down('unit');
    expect(stops(driver.events)).toContain('redis');
    expect(stops(driver.events)).not.toContain('rabbitmq');
    expect(driver.events.at(-1)).toBe('remove unit');
  });

  it("saves every target of a fault even when another target's fault fails, then says it failed", async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    const saved: string[][] = [];
    driver.store.save = async (_lab, instances) => void saved.push((instances ?? []).map((i) => i.id));
    const signal = driver.signal.bind(driver);
    driver.signal = async (lab, i, s) => {
      if (i.id === 'availability-service-1') throw new Error('the engine refused');
      return signal(lab, i, s);
    };
    await expect(runtime.fault('unit', 'stop', 'availability-service')).rejects.toThrow('the engine refused');
    expect(driver.states.get('availability-service-2')).toBe('stopped');
    expect(saved.at(-1)).toEqual(['availability-service-1', 'availability-service-2']);
  });

  it('removes what a creation that failed half-way made', async () => {
    const { driver, runtime } = setup();
    driver.create = async () => {
      driver.events.push('create');
      throw new Error('no space left for the volume');
    };
    await expect(runtime.up(spec())).rejects.toThrow('no space left');
    expect(driver.events).toEqual(['create', 'remove unit']);
  });
});

describe('the lifecycle: faults', () => {
  it('acts on one replica only, and restart waits until it is healthy again', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    driver.events.length = 0;
    expect(await runtime.fault('unit', 'kill', 'availability-service#2')).toEqual(['availability-service-2']);
    expect(driver.states.get('availability-service-1')).toBe('running');
    expect(driver.states.get('availability-service-2')).toBe('exited');
    driver.healthyAfterMs['availability-service-2'] = 150;
    const restarted = Date.now();
    await runtime.fault('unit', 'restart', 'availability-service-2');
    expect(Date.now() - restarted).toBeGreaterThanOrEqual(140);
    expect(driver.events).toEqual(['kill availability-service-2', 'start availability-service-2']);
  });

  it('a start or restart is over once the driver says the rest of the lab reaches it (after it is healthy)', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    const settled: string[] = [];
    // What a cluster's driver does (see swarm/name-settle.ts): here, note when it is asked.
    Object.assign(driver, {
      cluster: {
        healthyElsewhere: async () => false,
        tookStepItself: () => false,
        settle: async (_lab: unknown, i: { id: string }) => void settled.push(`${i.id} ${driver.states.get(i.id)}`),
      },
    });
    await runtime.fault('unit', 'restart', 'redis');
    await runtime.fault('unit', 'stop', 'user-service');
    await runtime.fault('unit', 'start', 'user-service');
    expect(settled).toEqual(['redis running', 'user-service running']);
  });

  it('pauses a running instance only, unpauses a paused one only, and starts a paused one by unpausing it', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    driver.events.length = 0;
    await runtime.fault('unit', 'unpause', 'redis');
    await runtime.fault('unit', 'pause', 'redis');
    await runtime.fault('unit', 'pause', 'redis');
    await runtime.fault('unit', 'start', 'redis');
    await runtime.fault('unit', 'stop', 'redis');
    await runtime.fault('unit', 'stop', 'redis');
    expect(driver.events).toEqual(['pause redis', 'unpause redis', 'stop redis']);
  });

  it('applies a verb to every replica of a component', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    expect(await runtime.fault('unit', 'stop', 'availability-service')).toEqual(['availability-service-1', 'availability-service-2']);
    expect(driver.states.get('availability-service-1')).toBe('stopped');
  });

  it('raises and clears the broker alarm on RabbitMQ only, with the watermark the driver runs with', async () => {
    const { driver, runtime } = setup();
    await runtime.up(spec());
    await runtime.fault('unit', 'alarm', 'rabbitmq');
    await runtime.fault('unit', 'unalarm', 'rabbitmq');
    expect(driver.brokerCalls).toEqual([
      ['rabbitmq', 'set_vm_memory_high_watermark', '0.000001'],
      ['rabbitmq', 'set_vm_memory_high_watermark', '0.3'],
    ]);
    await expect(runtime.fault('unit', 'alarm', 'redis')).rejects.toBeInstanceOf(UsageError);
  });

  it('says there is no such lab, and no such component', async () => {
    const { runtime } = setup();
    await expect(runtime.fault('unit', 'kill', 'redis')).rejects.toBeInstanceOf(NoLabError);
    await runtime.up(spec());
    await expect(runtime.fault('unit', 'kill', 'postgres')).rejects.toBeInstanceOf(UsageError);
  });
});
