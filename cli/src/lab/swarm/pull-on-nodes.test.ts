import type { ServiceSpec } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { LabStartError } from '../../errors.js';
import { nodeJobOutcome } from './global-job.js';
import { PULL_JOB, planPullJob, pullOnEveryNode } from './pull-on-nodes.js';
import type { SwarmEngine, SwarmNode, SwarmTask } from './swarm-engine.js';

const node = (id: string, state = 'ready', availability = 'active'): SwarmNode => ({
  id,
  hostname: `host-${id}`,
  role: 'worker',
  state,
  availability,
  address: '',
});
const task = (nodeId: string, state: string, err?: string): SwarmTask => ({
  ID: `t-${nodeId}`,
  NodeID: nodeId,
  Status: { State: state, Err: err },
});

describe('planPullJob', () => {
  it("runs `true` once from the image, labelled as the lab's pull job", () => {
    const spec = planPullJob('demo', 'reg:5000/w2meet/user-service:abc');
    expect(spec.Name).toMatch(/^w2meet-pull-[0-9a-f]{12}$/);
    expect(spec.Labels).toMatchObject({ 'dev.w2meet.lab': 'demo', 'dev.w2meet.component': PULL_JOB });
    expect(spec.TaskTemplate).toMatchObject({ ContainerSpec: { Image: 'reg:5000/w2meet/user-service:abc', Command: ['true'] } });
  });
});

describe('nodeJobOutcome', () => {
  it('is done once every ready, active node ended its task; a drained or down node is not waited for', () => {
    const nodes = [node('a'), node('b'), node('c', 'down'), node('d', 'ready', 'drain')];
    expect(nodeJobOutcome([task('a', 'complete')], nodes)).toEqual({ done: false, failures: [] });
    expect(nodeJobOutcome([task('a', 'complete'), task('b', 'preparing')], nodes).done).toBe(false);
    expect(nodeJobOutcome([task('a', 'complete'), task('b', 'complete')], nodes)).toEqual({ done: true, failures: [] });
  });

  it('names the node whose task could not get the image', () => {
    const out = nodeJobOutcome([task('a', 'complete'), task('b', 'rejected', 'No such image: reg/x:1')], [node('a'), node('b')]);
    expect(out.failures).toEqual(['host-b: rejected (No such image: reg/x:1)']);
  });
});

/** A swarm of two nodes whose pull tasks go through the given states, one per look; what was made and removed. */
function swarmWith(states: Array<[string, string]>, err?: string) {
  const made: string[] = [];
  const specs: ServiceSpec[] = [];
  const removed: string[] = [];
  let look = 0;
  const swarm = {
    createGlobalService: async (spec: ServiceSpec) => {
      made.push(`job-${made.length + 1}`);
      specs.push(spec);
      return made.at(-1)!;
    },
    nodes: async () => [node('a'), node('b')],
    tasks: async (): Promise<SwarmTask[]> => {
      const [a, b] = states[Math.min(look++, states.length - 1)]!;
      return [task('a', a), task('b', b, err)];
    },
    removeService: async (id: string) => void removed.push(id),
  } as unknown as SwarmEngine;
  return { swarm, made, specs, removed };
}

describe('pullOnEveryNode', () => {
  it('makes one job per distinct image, waits for every node, and removes the jobs', async () => {
    const { swarm, made, specs, removed } = swarmWith([
      ['preparing', 'preparing'],
      ['complete', 'complete'],
    ]);
    await pullOnEveryNode(swarm, 'demo', ['reg/base:1', 'reg/base:1', 'reg/svc:2'], new AbortController().signal);
    expect(made).toEqual(['job-1', 'job-2']);
    // Each runs once on each node.
    for (const spec of specs) expect(spec.TaskTemplate).toMatchObject({ RestartPolicy: { Condition: 'none' } });
    expect(removed.sort()).toEqual(['job-1', 'job-2']);
  });

  it('fails at once, naming the node and saying how to give it the images, and still removes the jobs', async () => {
    const { swarm, removed } = swarmWith([['complete', 'rejected']], 'No such image: reg/base:1');
    const failure = pullOnEveryNode(swarm, 'demo', ['reg/base:1'], new AbortController().signal);
    await expect(failure).rejects.toBeInstanceOf(LabStartError);
    await expect(failure).rejects.toThrow(/not every node could get the lab's images: reg\/base:1 on host-b: rejected \(No such image/);
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('--registry HOST:PORT') });
    expect(removed).toEqual(['job-1']);
  });
});
