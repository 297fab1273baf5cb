import { describe, expect, it } from 'vitest';
import type { LabelledContainer } from '../docker/engine-client.js';
import { scaleToNothing } from './scale-to-nothing.js';
import type { SwarmTask } from './swarm-engine.js';

/** A swarm and an Engine whose tasks and containers are what `look(scales)` says after that many scales. */
function over(look: (scales: number) => { tasks: SwarmTask[]; containers: LabelledContainer[] }, replicas = 0) {
  let scales = 0;
  const swarm = {
    scale: async () => {
      scales++;
    },
    tasks: async () => look(scales).tasks,
    replicas: async () => replicas,
  };
  const engine = { containersByLabel: async () => look(scales).containers };
  return { swarm, engine, scales: () => scales };
}

const ending: SwarmTask = { ID: 't1', DesiredState: 'shutdown', Status: { State: 'running' } };

describe('scaleToNothing', () => {
  it('is over at the first look where no task is live and no container runs', async () => {
    const f = over(() => ({ tasks: [{ ID: 't1', DesiredState: 'shutdown', Status: { State: 'complete' } }], containers: [] }));
    expect(await scaleToNothing(f.swarm, f.engine, 's1', Date.now() + 5000)).toBe(true);
    expect(f.scales()).toBe(1);
  });

  it('does not scale again a task the Engine is already taking down, and says so at the deadline if it never goes', async () => {
    const f = over(() => ({ tasks: [ending], containers: [{ containerId: 'c1', labels: {}, state: 'running' }] }));
    expect(await scaleToNothing(f.swarm, f.engine, 's1', Date.now() + 1500)).toBe(false);
    expect(f.scales()).toBe(1);
  });

  it('counts a paused container as running, though its task has left the list', async () => {
    const f = over(() => ({ tasks: [], containers: [{ containerId: 'c1', labels: {}, state: 'paused' }] }));
    expect(await scaleToNothing(f.swarm, f.engine, 's1', Date.now() + 600)).toBe(false);
  });

  it('scales again a task the Engine still means to run, but not once a start (another command) set the spec back to 1', async () => {
    const kept: SwarmTask = { ID: 't2', DesiredState: 'running', Status: { State: 'running' } };
    const running: LabelledContainer[] = [{ containerId: 'c2', labels: {}, state: 'running' }];
    const atZero = over((n) => (n < 2 ? { tasks: [kept], containers: running } : { tasks: [], containers: [] }));
    expect(await scaleToNothing(atZero.swarm, atZero.engine, 's1', Date.now() + 5000)).toBe(true);
    expect(atZero.scales()).toBe(2);
    const started = over(() => ({ tasks: [kept], containers: running }), 1);
    expect(await scaleToNothing(started.swarm, started.engine, 's1', Date.now() + 1500)).toBe(false);
    expect(started.scales()).toBe(1);
  });
});
