import type { ServiceSpec } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { FaultError } from '../../errors.js';
import { FaultJobError } from '../../errors.js';
import { FAULT_JOB, faultJobHint, planFaultJob, runFaultJob, withPausedLabel } from './remote-fault.js';
import type { SwarmEngine, SwarmTask } from './swarm-engine.js';

type JobSpec = {
  TaskTemplate: {
    ContainerSpec: { Env: string[]; Mounts: Array<{ Source: string }>; User: string };
    Placement: { Constraints: string[] };
    RestartPolicy: { Condition: string };
  };
};

const C1 = 'c0ffee'.padEnd(64, '0');

describe('planFaultJob', () => {
  it("runs once, on the task's node, with that node's Engine socket, calling the verb on the task's container", () => {
    const job = planFaultJob('demo', 'img/user', 'node2', C1, 'pause') as ServiceSpec & JobSpec;
    expect(job.TaskTemplate.Placement.Constraints).toEqual(['node.id==node2']);
    expect(job.TaskTemplate.RestartPolicy.Condition).toBe('none');
    expect(job.TaskTemplate.ContainerSpec.Mounts.map((m) => m.Source)).toEqual(['/var/run/docker.sock']);
    expect(job.TaskTemplate.ContainerSpec.Env).toEqual([`W2MEET_CALL=/containers/${C1}/pause`, 'NODE_OPTIONS=']);
    // The socket is root's: as the services' own user the call was refused (EACCES) on a two-node swarm.
    expect(job.TaskTemplate.ContainerSpec.User).toBe('root');
    expect(job.Labels).toMatchObject({ 'dev.w2meet.lab': 'demo', 'dev.w2meet.component': FAULT_JOB });
    const call = (verb: 'kill' | 'stop') =>
      (planFaultJob('demo', 'i', 'n', C1, verb, 7) as ServiceSpec & JobSpec).TaskTemplate.ContainerSpec.Env;
    expect(call('kill')[0]).toBe(`W2MEET_CALL=/containers/${C1}/kill?signal=SIGKILL`);
    expect(call('stop')[0]).toBe(`W2MEET_CALL=/containers/${C1}/stop?t=7`);
  });

  it("keeps its name within the Engine's 63 characters for the longest lab name", () => {
    // The name once carried the lab's: unpause was refused for a lab name of 17 characters.
    for (const verb of ['kill', 'pause', 'unpause', 'stop'] as const)
      expect(planFaultJob('a'.repeat(31), 'img', 'n2', C1, verb).Name!.length).toBeLessThanOrEqual(63);
  });

  it('refuses a container or node id that is not one', () => {
    expect(() => planFaultJob('demo', 'img', 'n2', 'abc/../../x', 'kill')).toThrow(FaultError);
    expect(() => planFaultJob('demo', 'img', 'n2;x', C1, 'kill')).toThrow(FaultError);
  });
});

/** A swarm whose one job task goes through the given states, one per look. */
function swarmWith(states: string[], err?: string) {
  const removed: string[] = [];
  let look = 0;
  const swarm = {
    createService: async () => 'job-1',
    tasks: async (): Promise<SwarmTask[]> => [{ ID: 't1', Status: { State: states[Math.min(look++, states.length - 1)], Err: err } }],
    removeService: async (id: string) => void removed.push(id),
  } as unknown as SwarmEngine;
  return { swarm, removed };
}

describe('runFaultJob', () => {
  const spec = planFaultJob('demo', 'img', 'n2', C1, 'kill');

  it('returns once the task completed, and removes the job', async () => {
    const { swarm, removed } = swarmWith(['pending', 'running', 'complete']);
    await runFaultJob(swarm, spec, 'kill x', async () => '');
    expect(removed).toEqual(['job-1']);
  });

  it("fails with the Engine's answer when the call was refused, and still removes the job", async () => {
    const { swarm, removed } = swarmWith(['running', 'failed'], 'task: non-zero exit (1)');
    const failure = runFaultJob(swarm, spec, 'pause x', async () => '409 {"message":"Container c1 is already paused"}');
    await expect(failure).rejects.toBeInstanceOf(FaultError);
    await expect(failure).rejects.toThrow(/pause x on its node did not happen: .*ended failed .*already paused/);
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('refused the call') });
    expect(removed).toEqual(['job-1']);
  });

  it('says what to do when the node has no image to run the job from', async () => {
    const { swarm } = swarmWith(['rejected'], 'No such image: img');
    const failure = runFaultJob(swarm, spec, 'kill x', async () => '');
    await expect(failure).rejects.toMatchObject({
      hint: expect.stringMatching(/that node has no img: .*--registry HOST:PORT.*docker save img/),
    });
  });
});

describe('faultJobHint', () => {
  it('points at the node when no node ran the job', () => {
    expect(faultJobHint('not placed', '', 'img')).toMatch(/docker node ls/);
    expect(faultJobHint('pending', 'no suitable node', 'img')).toMatch(/ready and active/);
  });
});

describe('withPausedLabel', () => {
  const C = 'c9';
  async function labelAfter(verb: 'pause' | 'unpause', outcome: 'ok' | 'failed' | 'timed out'): Promise<string | null | undefined> {
    let label: string | null | undefined;
    const run = async () => {
      if (outcome === 'failed') throw new FaultJobError('refused', 'hint', true);
      if (outcome === 'timed out') throw new FaultJobError('too slow', 'hint', false);
    };
    await withPausedLabel(verb, C, async (v) => void (label = v), run).catch(() => {});
    return label;
  }

  it('records a pause that happened, or that ran out of time and may yet have happened, so an unpause undoes it', async () => {
    expect(await labelAfter('pause', 'ok')).toBe(C);
    expect(await labelAfter('pause', 'timed out')).toBe(C);
  });

  it('forgets a pause whose job surely failed, and clears the label after an unpause, done or refused (not paused)', async () => {
    expect(await labelAfter('pause', 'failed')).toBeNull();
    expect(await labelAfter('unpause', 'ok')).toBeNull();
    expect(await labelAfter('unpause', 'failed')).toBeNull();
    // One that ran out of time may not have happened: the label stays, and status still says paused.
    expect(await labelAfter('unpause', 'timed out')).toBeUndefined();
  });
});
