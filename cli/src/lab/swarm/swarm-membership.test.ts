import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { initSwarm, leaveSwarm } from './swarm-membership.js';

type Container = { Labels: Record<string, string> };

/** An Engine with the given swarm state, containers and services, recording what it is asked to do. */
function engine(options: { swarm: 'active' | 'inactive'; nodes?: number; containers?: Container[]; services?: string[] }) {
  const done: string[] = [];
  const docker = {
    info: async () => ({
      Swarm: { LocalNodeState: options.swarm, ControlAvailable: options.swarm === 'active', NodeID: 'n1', Nodes: options.nodes ?? 1 },
    }),
    listContainers: async () => options.containers ?? [],
    listServices: async () => (options.services ?? []).map((lab) => ({ Spec: { Labels: { 'dev.w2meet.lab': lab } } })),
    swarmInit: async () => void done.push('init'),
    swarmLeave: async () => void done.push('leave'),
  };
  return { docker: docker as unknown as Docker, done };
}

const dockerLab: Container = { Labels: { 'dev.w2meet.lab': 'w2meet', 'dev.w2meet.component': 'postgres' } };
const swarmTask: Container = { Labels: { 'dev.w2meet.lab': 'w2meet', 'com.docker.swarm.service.id': 's1' } };

describe('swarm init', () => {
  it('is refused while a Docker lab runs on the Engine, naming the lab and the way out', async () => {
    const { docker, done } = engine({ swarm: 'inactive', containers: [dockerLab] });
    const refusal = initSwarm(docker, '127.0.0.1');
    await expect(refusal).rejects.toBeInstanceOf(UsageError);
    await expect(refusal).rejects.toThrow(/Docker lab w2meet runs on this Engine/);
    expect(done).toEqual([]);
  });

  it('makes the swarm when no Docker lab runs', async () => {
    const { docker, done } = engine({ swarm: 'inactive' });
    expect((await initSwarm(docker, '127.0.0.1')).changed).toBe(true);
    expect(done).toEqual(['init']);
  });

  it('changes nothing on an Engine already in a swarm', async () => {
    const { docker, done } = engine({ swarm: 'active', containers: [dockerLab] });
    expect(await initSwarm(docker, '127.0.0.1')).toEqual({ changed: false, message: expect.stringMatching(/already a manager/) });
    expect(done).toEqual([]);
  });
});

describe('swarm leave', () => {
  it('is refused while a Docker lab runs on the Engine', async () => {
    const { docker, done } = engine({ swarm: 'active', containers: [dockerLab] });
    await expect(leaveSwarm(docker)).rejects.toMatchObject({ hint: expect.stringMatching(/w2meet down --lab w2meet/) });
    expect(done).toEqual([]);
  });

  it("is refused while a swarm lab runs, its task containers not being taken for a Docker lab's", async () => {
    const { docker, done } = engine({ swarm: 'active', containers: [swarmTask], services: ['demo'] });
    await expect(leaveSwarm(docker)).rejects.toThrow(/lab demo runs on this swarm/);
    expect(done).toEqual([]);
  });

  it("leaves once no lab runs, whatever task containers or edge are left stopping (the swarm lab's, not a Docker lab's)", async () => {
    const edge: Container = { Labels: { 'dev.w2meet.lab': 'w2meet', 'dev.w2meet.component': 'edge' } };
    const { docker, done } = engine({ swarm: 'active', containers: [swarmTask, edge] });
    expect((await leaveSwarm(docker)).changed).toBe(true);
    expect(done).toEqual(['leave']);
  });

  it('is refused on a swarm of several nodes', async () => {
    const { docker, done } = engine({ swarm: 'active', nodes: 3 });
    await expect(leaveSwarm(docker)).rejects.toThrow(/one of 3 nodes/);
    expect(done).toEqual([]);
  });
});
