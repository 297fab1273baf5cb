import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { SwarmEngine } from './swarm-engine.js';

/** An Engine holding secrets of the given labels, recording removals and creations. */
function engineWith(secrets: Array<{ ID: string; Spec: { Name: string; Labels?: Record<string, string> } }>) {
  const done: string[] = [];
  const docker = {
    listSecrets: async () => secrets,
    getSecret: (id: string) => ({ remove: async () => void done.push(`remove ${id}`) }),
    createSecret: async (o: { Name: string }) => {
      done.push(`create ${o.Name}`);
      return { id: 'new' };
    },
  };
  return { engine: new SwarmEngine(docker as unknown as Docker), done };
}

describe('a secret of the lab, where one of that name is there already', () => {
  it('replaces one the same lab made before', async () => {
    const { engine, done } = engineWith([{ ID: 'old', Spec: { Name: 'w2meet-demo-pg', Labels: { 'dev.w2meet.lab': 'demo' } } }]);
    expect(await engine.createSecret('demo', 'w2meet-demo-pg', 'pw')).toBe('new');
    expect(done).toEqual(['remove old', 'create w2meet-demo-pg']);
  });

  it("refuses one that is not the lab's, naming it, and removes nothing", async () => {
    const { engine, done } = engineWith([{ ID: 'theirs', Spec: { Name: 'w2meet-demo-pg' } }]);
    await expect(engine.createSecret('demo', 'w2meet-demo-pg', 'pw')).rejects.toThrow(/secret named w2meet-demo-pg that is not lab demo's/);
    expect(done).toEqual([]);
  });
});

describe("the lab's overlay network", () => {
  const created: unknown[] = [];
  const docker = { listNetworks: async () => [], createNetwork: async (o: unknown) => void created.push(o) };
  const swarm = new SwarmEngine(docker as unknown as Docker);

  it('is encrypted between nodes (Redis AUTH and AMQP PLAIN cross it), plain on one', async () => {
    await swarm.ensureOverlay('demo', 'w2meet-demo', true);
    await swarm.ensureOverlay('demo', 'w2meet-demo', false);
    expect(created).toMatchObject([{ Driver: 'overlay', Options: { encrypted: 'true' } }, { Driver: 'overlay' }]);
    expect(created[1]).not.toHaveProperty('Options');
  });
});
