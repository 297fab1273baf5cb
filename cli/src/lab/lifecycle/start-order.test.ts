import { describe, expect, it } from 'vitest';
import { startInOrder } from './start-order.js';

const item = (id: string, dependsOn: string[] = [], startsAfter: string[] = []) => ({ id, dependsOn, startsAfter });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('startInOrder', () => {
  it('starts each item once, after everything it depends on, and independent chains together', async () => {
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const items = [item('gw', ['svc']), item('svc', ['db', 'cache']), item('db'), item('cache'), item('slow')];
    const run = startInOrder(items, (i) => {
      log.push(`start ${i.id}`);
      return new Promise<void>((resolve) =>
        gates.set(i.id, () => {
          log.push(`done ${i.id}`);
          resolve();
        }),
      );
    });
    await Promise.resolve();
    expect(log.sort()).toEqual(['start cache', 'start db', 'start slow']);
    gates.get('db')!();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).not.toContain('start svc');
    gates.get('cache')!();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toContain('start svc');
    gates.get('svc')!();
    await new Promise((r) => setTimeout(r, 0));
    gates.get('gw')!();
    gates.get('slow')!();
    await run;
    expect(log.indexOf('start gw')).toBeGreaterThan(log.indexOf('done svc'));
  });

  it('starts what only starts after another as soon as that one has started, before it is healthy', async () => {
    const log: string[] = [];
    const healthy = new Map<string, () => void>();
    const items = [item('db'), item('users', ['db']), item('availability', [], ['users']), item('gateway', [], ['availability', 'users'])];
    const run = startInOrder(items, (i, started) => {
      log.push(`start ${i.id}`);
      // users says when it has started; the others only finish, which counts as started as well.
      if (i.id === 'users') setTimeout(started, 0);
      return new Promise<void>((resolve) => healthy.set(i.id, resolve));
    });
    await tick();
    expect(log).toEqual(['start db']);
    healthy.get('db')!();
    await tick();
    await tick();
    expect(log).toEqual(['start db', 'start users', 'start availability']);
    healthy.get('availability')!();
    await tick();
    expect(log).toContain('start gateway');
    healthy.get('users')!();
    healthy.get('gateway')!();
    await run;
  });

  it('does not start what starts after a task that failed before it started', async () => {
    const log: string[] = [];
    const run = startInOrder([item('a'), item('b', [], ['a'])], async (i) => {
      log.push(i.id);
      if (i.id === 'a') throw new Error('a broke');
    });
    await expect(run).rejects.toThrow('a broke');
    expect(log).toEqual(['a']);
  });

  it('rejects a dependency that is not in the set, and a cycle', async () => {
    await expect(startInOrder([item('a', ['b'])], async () => {})).rejects.toThrow('a depends on b');
    await expect(startInOrder([item('a', [], ['b'])], async () => {})).rejects.toThrow('a depends on b');
    await expect(startInOrder([item('a', [], ['b']), item('b', ['a'])], async () => {})).rejects.toThrow('cycle');
    await expect(startInOrder([item('a', ['b']), item('b', ['a'])], async () => {})).rejects.toThrow('cycle');
  });

  it('reports the first failure in time, only once every started task has settled', async () => {
    const settled: string[] = [];
    const abort = new AbortController();
    const run = startInOrder([item('slow'), item('broken')], async (i) => {
      if (i.id === 'broken') {
        await new Promise((r) => setTimeout(r, 5));
        abort.abort();
        throw new Error('broken failed');
      }
      await new Promise((r) => abort.signal.addEventListener('abort', r));
      settled.push('slow');
      throw new Error('slow aborted');
    });
    await expect(run).rejects.toThrow('broken failed');
    expect(settled).toEqual(['slow']);
  });

  it('rethrows the first failure', async () => {
    await expect(
      startInOrder([item('a'), item('b', ['a'])], async (i) => {
        if (i.id === 'a') throw new Error('a broke');
      }),
    ).rejects.toThrow('a broke');
  });
});
