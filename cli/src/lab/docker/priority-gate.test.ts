import { describe, expect, it } from 'vitest';
import { PriorityGate } from './priority-gate.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PriorityGate', () => {
  it('lets as many through as it has slots, then the most urgent waiting one, ties in arrival order', async () => {
    const gate = new PriorityGate(1);
    const order: string[] = [];
    const first = deferred();
    const running = gate.run(5, async () => {
      order.push('first');
      await first.promise;
    });
    await tick();
    const runs = [
      running,
      gate.run(3, async () => {
        order.push('service-a');
      }),
      gate.run(3, async () => {
        order.push('service-b');
      }),
      gate.run(0, async () => {
        order.push('broker');
      }),
    ];
    await tick();
    expect(order).toEqual(['first']);
    first.resolve();
    await Promise.all(runs);
    expect(order).toEqual(['first', 'broker', 'service-a', 'service-b']);
  });

  it('takes tasks that arrive together in priority order, even into a free slot', async () => {
    const gate = new PriorityGate(1);
    const order: string[] = [];
    await Promise.all([
      gate.run(1, async () => {
        order.push('postgres');
      }),
      gate.run(1, async () => {
        order.push('redis');
      }),
      gate.run(0, async () => {
        order.push('rabbitmq');
      }),
    ]);
    expect(order).toEqual(['rabbitmq', 'postgres', 'redis']);
  });

  it('runs up to its slots at once and frees a slot when a task fails', async () => {
    const gate = new PriorityGate(2);
    let inside = 0;
    let most = 0;
    const task = async () => {
      inside++;
      most = Math.max(most, inside);
      await tick();
      inside--;
    };
    const failing = gate.run(0, async () => {
      throw new Error('no start');
    });
    await expect(failing).rejects.toThrow('no start');
    await Promise.all(Array.from({ length: 6 }, (_, i) => gate.run(i, task)));
    expect(most).toBe(2);
  });
});
