import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabRuntime } from '../lifecycle/lab-runtime.js';
import { buildLabSpec, type ComponentName } from '../spec.js';
import type { ProbeSpec } from '../wait/probe-spec.js';
import type { Probe } from '../wait/probes.js';
import type { DockerInstance } from './container-plan.js';
import { DockerDriver } from './docker-driver.js';
import { FakeEngine } from '../../testing/fake-engine.js';

const secrets = { postgresUser: 'u', postgresPassword: 'p', postgresDb: 'd', rabbitUser: 'r', rabbitPassword: 'rp', redisPassword: 'x' };
const images = Object.fromEntries(
  ['postgres', 'redis', 'rabbitmq', 'gateway', 'user-service', 'availability-service', 'suggestion-service', 'worker-service'].map((n) => [
    n,
    `img/${n}`,
  ]),
) as Record<ComponentName, string>;
const folders: string[] = [];

afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

/** The Docker driver over a fake Engine; a container answers its probe at an address the Engine gave it (the schema step is skipped). */
/** A state folder of the test's own, removed after it. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-docker-driver-'));
  folders.push(dir);
  return dir;
}

function setup(env: NodeJS.ProcessEnv = {}) {
  const state = folder();
  const engine = new FakeEngine();
  const driver = new DockerDriver({
    engine,
    mode: 'local',
    exposeInfra: false,
    env: { W2MEET_STATE_DIR: state, ...env },
    images: async () => ({ images, flavours: {} }),
  });
  // The fake addresses are not real: a probe passes when the address is one the fake Engine gave.
  const probeFor =
    (spec: ProbeSpec): Probe =>
    async () => {
      if (!/172\.30\.0\.\d+|127\.0\.0\.1/.test(JSON.stringify(spec)))
        throw new Error(`not an address of the fake Engine: ${JSON.stringify(spec)}`);
    };
  const runtime = new LabRuntime<DockerInstance>(driver, { probeFor, probeHealthy: async () => true, afterHealthy: async () => {} });
  return { engine, driver, runtime };
}

const labSpec = () => buildLabSpec(secrets, { name: 'unit', gatewayPort: 0 });

describe("the Docker driver and another machine's Engine", () => {
  it('refuses one reached over TCP without TLS before anything runs: the passwords would cross in the clear', async () => {
    const { driver, engine } = setup({ DOCKER_HOST: 'tcp://10.1.2.3:2375' });
    await expect(driver.requireAvailable()).rejects.toMatchObject({
      code: 'PREREQUISITE',
      message: expect.stringContaining('TCP without TLS'),
    });
    expect(engine.containers.size).toBe(0);
  });

  it('takes one reached over TLS, and the Engine of this machine', async () => {
    await expect(setup({ DOCKER_HOST: 'tcp://10.1.2.3:2376', DOCKER_TLS_VERIFY: '1' }).driver.requireAvailable()).resolves.toBeUndefined();
    await expect(setup({ DOCKER_HOST: 'unix:///run/docker.sock' }).driver.requireAvailable()).resolves.toBeUndefined();
  });
});

describe('the Docker driver over a fake Engine', () => {
  it('creates every container first, RabbitMQ before the rest, then starts each when its waits are met', async () => {
    const { engine, runtime } = setup();
    const status = await runtime.up(labSpec());
    const creates = engine.calls.filter((c) => c.startsWith('create'));
    expect(creates[0]).toBe('create rabbitmq');
    expect(creates).toHaveLength(10);
    expect(engine.networks).toEqual(new Set(['w2meet-unit']));
    expect(status.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status.instances.find((i) => i.id === 'gateway')!.address).toBe(status.gatewayUrl.slice('http://'.length));
    expect(status.instances.find((i) => i.id === 'worker-service')!.dependsOn).toEqual(['rabbitmq']);
  });

  it("finds a lab from its containers' labels alone, with what each waits for", async () => {
    const { engine, runtime } = setup();
    await runtime.up(labSpec());
    const fresh = new LabRuntime<DockerInstance>(
      new DockerDriver({
        engine,
        mode: 'local',
        exposeInfra: false,
        env: { W2MEET_STATE_DIR: folder() },
        images: async () => ({ images, flavours: {} }),
      }),
      { probeHealthy: async () => true },
    );
    const status = (await fresh.status('unit'))!;
    expect(status.instances.map((i) => i.id)).toContain('availability-service-2');
    expect(status.instances.find((i) => i.id === 'gateway')!.startsAfter).toContain('worker-service');
  });

  it("says a container that exits while starting exited, with its code and its log, and removes the lab's containers and network", async () => {
    const { engine, runtime } = setup();
    engine.exitOnStart.set('redis', 3);
    await expect(runtime.up(labSpec())).rejects.toThrow(/redis: the container exited \(code 3\)[\s\S]*log of redis/);
    expect(engine.containers.size).toBe(0);
    expect(engine.networks.size).toBe(0);
    // The volumes and the credentials on them stay, with the data they protect.
    expect(engine.volumes.size).toBe(2);
  });

  it("runs rabbitmqctl in the broker's container for the alarm, and removes volumes only with down -v", async () => {
    const { engine, runtime } = setup();
    await runtime.up(labSpec());
    await runtime.fault('unit', 'alarm', 'rabbitmq');
    expect(engine.calls.at(-1)).toBe('exec rabbitmq rabbitmqctl set_vm_memory_high_watermark 0.000001');
    await runtime.down('unit');
    expect(engine.volumes.size).toBe(2);
    await runtime.down('unit', { volumes: true });
    expect(engine.volumes.size).toBe(0);
  });
});
