import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { initSwarm, leaveSwarm } from './swarm-membership.js';
import { rememberSwarmMade } from './swarm-made-record.js';

type Container = { Labels: Record<string, string> };
type Named = { Spec: { Name: string; Labels?: Record<string, string> } };

const state = mkdtempSync(join(tmpdir(), 'w2meet-swarm-record-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));
let n = 0;
/** An environment of its own per test: where `swarm init` records the swarm it made. */
const freshEnv = () => ({ W2MEET_STATE_DIR: join(state, `s${n++}`) });

/** An Engine with the given swarm state, containers and services, recording what it is asked to do. */
function engine(options: {
  swarm: 'active' | 'inactive';
  nodes?: number;
  containers?: Container[];
  services?: string[];
  foreign?: { services?: Named[]; secrets?: Named[]; configs?: Named[]; networks?: Array<{ Name: string }> };
}) {
  const done: string[] = [];
  const docker = {
    info: async () => ({
      Swarm: { LocalNodeState: options.swarm, ControlAvailable: options.swarm === 'active', NodeID: 'n1', Nodes: options.nodes ?? 1 },
    }),
    swarmInspect: async () => ({ ID: 'cluster-1' }),
    listContainers: async () => options.containers ?? [],
    listServices: async () => [
      ...(options.services ?? []).map((lab) => ({ Spec: { Name: `w2meet-${lab}-x`, Labels: { 'dev.w2meet.lab': lab } } })),
      ...(options.foreign?.services ?? []),
    ],
    listSecrets: async () => options.foreign?.secrets ?? [],
    listConfigs: async () => options.foreign?.configs ?? [],
    listNetworks: async () => [{ Name: 'ingress' }, ...(options.foreign?.networks ?? [])],
    swarmInit: async () => void done.push('init'),
    swarmLeave: async () => void done.push('leave'),
  };
  return { docker: docker as unknown as Docker, done };
}

/** An environment in which w2meet made the swarm (cluster-1). */
async function madeHere() {
  const env = freshEnv();
  await rememberSwarmMade('cluster-1', env);
  return env;
}

const dockerLab: Container = { Labels: { 'dev.w2meet.lab': 'w2meet', 'dev.w2meet.component': 'postgres' } };
const swarmTask: Container = { Labels: { 'dev.w2meet.lab': 'w2meet', 'com.docker.swarm.service.id': 's1' } };

describe('swarm init', () => {
  it('is refused while a Docker lab runs on the Engine, naming the lab and the way out', async () => {
    const { docker, done } = engine({ swarm: 'inactive', containers: [dockerLab] });
    const refusal = initSwarm(docker, '127.0.0.1', freshEnv());
    await expect(refusal).rejects.toBeInstanceOf(UsageError);
    await expect(refusal).rejects.toThrow(/Docker lab w2meet runs on this Engine/);
    expect(done).toEqual([]);
  });

  it('makes the swarm when no Docker lab runs', async () => {
    const { docker, done } = engine({ swarm: 'inactive' });
    expect((await initSwarm(docker, '127.0.0.1', freshEnv())).changed).toBe(true);
    expect(done).toEqual(['init']);
  });

  it('changes nothing on an Engine already in a swarm', async () => {
    const { docker, done } = engine({ swarm: 'active', containers: [dockerLab] });
    expect(await initSwarm(docker, '127.0.0.1', freshEnv())).toEqual({
      changed: false,
      message: expect.stringMatching(/already a manager/),
    });
    expect(done).toEqual([]);
  });
});

describe('swarm leave', () => {
  it('is refused while a Docker lab runs on the Engine', async () => {
    const { docker, done } = engine({ swarm: 'active', containers: [dockerLab] });
    await expect(leaveSwarm(docker, await madeHere())).rejects.toMatchObject({ hint: expect.stringMatching(/w2meet down --lab w2meet/) });
    expect(done).toEqual([]);
  });

  it("is refused while a swarm lab runs, its task containers not being taken for a Docker lab's", async () => {
    const { docker, done } = engine({ swarm: 'active', containers: [swarmTask], services: ['demo'] });
    await expect(leaveSwarm(docker, await madeHere())).rejects.toThrow(/lab demo runs on this swarm/);
    expect(done).toEqual([]);
  });

  it("leaves once no lab runs, whatever task containers or edge are left stopping (the swarm lab's, not a Docker lab's)", async () => {
    const edge: Container = { Labels: { 'dev.w2meet.lab': 'w2meet', 'dev.w2meet.component': 'edge' } };
    const { docker, done } = engine({ swarm: 'active', containers: [swarmTask, edge] });
    expect((await leaveSwarm(docker, await madeHere())).changed).toBe(true);
    expect(done).toEqual(['leave']);
  });

  it('changes nothing on a swarm w2meet did not make, and says so', async () => {
    const { docker, done } = engine({ swarm: 'active' });
    await expect(leaveSwarm(docker, freshEnv())).rejects.toThrow(/cluster-1\) was not made by `w2meet swarm init`/);
    expect(done).toEqual([]);
  });

  it('leaves the swarm it made, and only once: a second leave finds no record of it', async () => {
    const env = freshEnv();
    const { docker, done } = engine({ swarm: 'inactive' });
    await initSwarm(docker, '127.0.0.1', env);
    const active = engine({ swarm: 'active' });
    expect((await leaveSwarm(active.docker, env)).changed).toBe(true);
    await expect(leaveSwarm(active.docker, env)).rejects.toThrow(/was not made by/);
    expect([...done, ...active.done]).toEqual(['init', 'leave']);
  });

  it("is refused while anything of the user's is on the swarm, naming each", async () => {
    const { docker, done } = engine({
      swarm: 'active',
      foreign: {
        services: [{ Spec: { Name: 'mine' } }],
        secrets: [{ Spec: { Name: 'db-password' } }, { Spec: { Name: 'w2meet-demo-x', Labels: { 'dev.w2meet.lab': 'demo' } } }],
        configs: [{ Spec: { Name: 'app.conf' } }],
        networks: [{ Name: 'backend' }],
      },
    });
    await expect(leaveSwarm(docker, await madeHere())).rejects.toThrow(
      'service mine, secret db-password, config app.conf, network backend',
    );
    expect(done).toEqual([]);
  });

  it('is refused on a swarm of several nodes', async () => {
    const { docker, done } = engine({ swarm: 'active', nodes: 3 });
    await expect(leaveSwarm(docker, await madeHere())).rejects.toThrow(/one of 3 nodes/);
    expect(done).toEqual([]);
  });
});
