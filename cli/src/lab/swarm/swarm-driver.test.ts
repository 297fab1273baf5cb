import { describe, expect, it } from 'vitest';
import type { EngineClient } from '../docker/engine-client.js';
import { SwarmDriver, stillPreparing } from './swarm-driver.js';
import type { SwarmEngine } from './swarm-engine.js';

/** An object whose every method is recorded and answers `answer(name)`: the calls the driver makes, with no Engine. */
function recorder<T extends object>(calls: string[], answer: (name: string, args: unknown[]) => unknown): T {
  return new Proxy({} as T, {
    get:
      (_, name) =>
      async (...args: unknown[]) => {
        calls.push(String(name));
        return answer(String(name), args);
      },
  });
}

/** A driver over the given swarm and Engine calls, with no images to build. */
function driverOver(swarm: SwarmEngine, engine: EngineClient, env: NodeJS.ProcessEnv = {}): SwarmDriver {
  return new SwarmDriver({
    swarm,
    engine,
    images: async () => ({ images: {} as never, flavours: {} }),
    mode: 'local',
    exposeInfra: false,
    env,
  });
}

describe('SwarmDriver.remove', () => {
  it('leaves a Docker lab of the same name alone: with no service, secret or edge of the lab it removes nothing', async () => {
    const calls: string[] = [];
    // The Engine holds a Docker lab "demo": its containers carry the lab's label, but no swarm's.
    const postgres = { containerId: 'c1', labels: { 'dev.w2meet.lab': 'demo', 'dev.w2meet.component': 'postgres' }, state: 'running' };
    const engine = recorder<EngineClient>(calls, (name, [filter]) =>
      name === 'containersByLabel' ? [postgres].filter((c) => Object.entries(c.labels).some(([k, v]) => filter === `${k}=${v}`)) : [],
    );
    const swarm = recorder<SwarmEngine>(calls, () => []);
    const driver = driverOver(swarm, engine);
    await driver.remove('demo', { volumes: true });
    expect(calls.filter((c) => /^remove|kill|stop/.test(c))).toEqual([]);
  });
});

describe('SwarmDriver.state of a task on another node', () => {
  // Its container cannot be inspected from here: the service's label says which container a fault job paused.
  function driverWith(pausedLabel: string | undefined) {
    const calls: string[] = [];
    const task = {
      ID: 't1',
      NodeID: 'node-2',
      DesiredState: 'running',
      Status: { State: 'running', ContainerStatus: { ContainerID: 'c9' } },
    };
    const swarm = recorder<SwarmEngine>(calls, (name) => {
      if (name === 'tasks') return [task];
      if (name === 'localState') return { state: 'active', manager: true, nodeId: 'node-1', nodes: 2 };
      if (name === 'serviceLabels') return pausedLabel ? { 'dev.w2meet.paused': pausedLabel } : {};
      return undefined;
    });
    const engine = recorder<EngineClient>(calls, () => null);
    return driverOver(swarm, engine);
  }
  const instance = { id: 'suggestion-service-2', serviceId: 's2' } as never;

  it('is paused when its service names its container as paused, so the undo of a pause unpauses it', async () => {
    expect(await driverWith('c9').state({} as never, instance)).toBe('paused');
  });

  it('is running when nothing was paused, or when the paused container has been replaced since', async () => {
    expect(await driverWith(undefined).state({} as never, instance)).toBe('running');
    expect(await driverWith('c8').state({} as never, instance)).toBe('running');
  });
});

describe('stillPreparing: what a start waits for before its own timeout counts', () => {
  const task = (State: string, Err?: string) => ({ ID: 't', Status: { State, Err } });

  it('waits while the task is made and on its way to its node (its image being pulled)', () => {
    for (const state of ['new', 'pending', 'assigned', 'accepted', 'preparing']) expect(stillPreparing(task(state)), state).toBe(true);
  });

  it('does not wait once it starts or runs, has ended, or cannot be placed', () => {
    for (const state of ['starting', 'running', 'failed', 'rejected', 'complete']) expect(stillPreparing(task(state)), state).toBe(false);
    expect(stillPreparing(task('pending', 'no suitable node (scheduling constraints not satisfied on 2 nodes)'))).toBe(false);
  });
});

describe('SwarmDriver.start: the wait for its task before the start-up timeout counts', () => {
  function driverWithTasks(tasks: () => unknown[]) {
    const calls: string[] = [];
    const swarm = recorder<SwarmEngine>(calls, (name) => (name === 'tasks' ? tasks() : undefined));
    return driverOver(
      swarm,
      recorder<EngineClient>(calls, () => null),
    );
  }
  const instance = { id: 'worker-service-1', serviceId: 's1' } as never;

  it('ends at once when the service already runs a task (a start after a kill the Engine made good)', async () => {
    const earlier = { ID: 'old', CreatedAt: '2000-01-01T00:00:00Z', DesiredState: 'running', Status: { State: 'running' } };
    const running = await driverWithTasks(() => [earlier]).start({} as never, instance);
    const started = Date.now();
    await running.prepared!(new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits while the new task is preparing, and ends once it starts', async () => {
    let looks = 0;
    const made = new Date(Date.now() + 1000).toISOString();
    const running = await driverWithTasks(() => [
      { ID: 'new', CreatedAt: made, DesiredState: 'running', Status: { State: ++looks < 3 ? 'preparing' : 'starting' } },
    ]).start({} as never, instance);
    await running.prepared!(new AbortController().signal);
    expect(looks).toBe(3);
  });
});

/** A running task of the service on this node, with its container. */
const runningTask = (id: string, container: string) => ({
  ID: id,
  NodeID: 'node-1',
  DesiredState: 'running',
  Status: { State: 'running', ContainerStatus: { ContainerID: container } },
});

/**
 * Stops a task on a one-node swarm whose task list and containers are what `tasks(scales)` and
 * `containers(scales)` say after that many scales to 0; returns how many scales were sent.
 */
async function stopOnOneNode(tasks: (scales: number) => unknown[], containers: (scales: number) => string): Promise<number> {
  const calls: string[] = [];
  let scales = 0;
  const swarm = recorder<SwarmEngine>(calls, (name) => {
    if (name === 'scale') scales++;
    if (name === 'tasks') return tasks(scales);
    if (name === 'replicas') return 0;
    if (name === 'localState') return { state: 'active', manager: true, nodeId: 'node-1', nodes: 1 };
    return undefined;
  });
  const engine = recorder<EngineClient>(calls, (name) => {
    if (name === 'inspect') return { State: { Paused: false, Running: true } };
    if (name === 'containersByLabel') return [{ containerId: 'c1', labels: {}, state: containers(scales) }];
    return undefined;
  });
  await driverOver(swarm, engine).signal(
    { name: 'demo', instances: [] } as never,
    { id: 'user-service', serviceId: 's1' } as never,
    'stop',
  );
  return scales;
}

describe('SwarmDriver stop of a task on this node', () => {
  it('is over once no container of its service runs here, not when the task leaves the Engine’s list', async () => {
    let looks = 0;
    // Scaled to 0, the task leaves the list at once, as the Engine's does; its container (or one the
    // Engine started in its place) still runs for three more looks.
    await stopOnOneNode(
      (scales) => (scales ? [] : [runningTask('t1', 'c1')]),
      (scales) => (scales && ++looks >= 3 ? 'exited' : 'running'),
    );
    expect(looks).toBe(3);
  });

  it('scales again while the Engine keeps running a replacement with Replicas 0 (a CI run’s stopped Postgres kept answering)', async () => {
    // The container was stopped just before the scale, so the restart policy had made a replacement;
    // the first scale misses it, as the Engine's reconciliation did, and it runs on until the second.
    const scales = await stopOnOneNode(
      (n) => (n < 2 ? [runningTask('t2', 'c2')] : []),
      (n) => (n < 2 ? 'running' : 'exited'),
    );
    expect(scales).toBe(2);
  });
});

describe('SwarmDriver with a manager of another machine (DOCKER_HOST=tcp://manager.lan:2376)', () => {
  // Its task runs on the manager itself, the node the driver talks to: on this machine it would be probed.
  function driverAt(DOCKER_HOST: string | undefined, state = 'running', ready = true, edgeRoutes: string | null = null) {
    const calls: string[] = [];
    const task = { ID: 't1', NodeID: 'node-1', DesiredState: 'running', Status: { State: state, ContainerStatus: { ContainerID: 'c1' } } };
    const swarm = recorder<SwarmEngine>(calls, (name) => {
      if (name === 'tasks') return [task];
      if (name === 'localState') return { state: 'active', manager: true, nodeId: 'node-1', nodes: 1 };
      if (name === 'bridgeAddress') return '172.18.0.5';
      return undefined;
    });
    // The readiness check run in its container through the Engine: passes, or fails (exec throws).
    // The lab's edge, when there is one, with its routes (gateway first, then --expose-infra's).
    const engine = recorder<EngineClient>(calls, (name) => {
      if (name === 'exec' && !ready) throw new Error('exit 1');
      if (name === 'containersByLabel')
        return edgeRoutes ? [{ containerId: 'edge', state: 'running', labels: { 'dev.w2meet.lab': 'demo' } }] : [];
      if (name === 'inspect') return { State: {}, Config: { Env: edgeRoutes ? [`ROUTES=${edgeRoutes}`] : [] } };
      return null;
    });
    return driverOver(swarm, engine, { DOCKER_HOST });
  }
  const lab = { name: 'demo', gatewayUrl: 'http://127.0.0.1:18080', instances: [] } as never;
  const postgres = {
    id: 'postgres',
    name: 'postgres',
    kind: 'infra',
    serviceId: 's1',
    service: { TaskTemplate: { ContainerSpec: { HealthCheck: { Test: ['CMD-SHELL', 'pg_isready -q'] } } } },
  } as never;
  const gateway = { id: 'gateway', name: 'gateway', kind: 'gateway', serviceId: 's2' } as never;

  it('offers no address to probe, not even the gateway (its 127.0.0.1 is the manager’s), and takes the Engine’s verdict', async () => {
    const remote = driverAt('tcp://manager.lan:2376');
    expect(await remote.address(lab, postgres)).toBeNull();
    expect(await remote.address(lab, gateway)).toBeNull();
    expect(await remote.cluster.healthyElsewhere(lab, postgres)).toBe(true);
    expect(await driverAt('tcp://manager.lan:2376', 'starting').cluster.healthyElsewhere(lab, postgres)).toBe(false);
    // Running, but its readiness check fails in its container: not healthy yet.
    expect(await driverAt('tcp://manager.lan:2376', 'running', false).cluster.healthyElsewhere(lab, postgres)).toBe(false);
    expect(remote.cluster.tookStepItself(lab, postgres)).toBe(true);
    expect(remote.cluster.tookStepItself(lab, gateway)).toBe(false);
  });

  it('names the task on the manager, or with --expose-infra the port the tunnel carries, as the address status shows', async () => {
    expect((await driverAt('tcp://manager.lan:2376').shown.details(lab, postgres)).address).toBe('task on manager.lan');
    const exposed = driverAt('tcp://manager.lan:2376', 'running', true, '18080=gateway:8080,41001=postgres:5432,41002=redis:6379');
    expect((await exposed.shown.details(lab, postgres)).address).toBe('127.0.0.1:41001');
    expect(await exposed.infraPorts('demo')).toEqual({ postgres: 41001, redis: 41002 });
    // Still nothing to probe from here before the tunnel is open: the start goes by the Engine's verdict.
    expect(await exposed.address(lab, postgres)).toBeNull();
  });

  it('on this machine probes the task at its bridge address and applies the schema itself', async () => {
    const here = driverAt(undefined);
    expect(await here.address(lab, postgres)).toEqual({ host: '172.18.0.5', port: 5432 });
    expect(await here.cluster.healthyElsewhere(lab, postgres)).toBe(false);
    expect(here.cluster.tookStepItself(lab, postgres)).toBe(false);
  });
});
