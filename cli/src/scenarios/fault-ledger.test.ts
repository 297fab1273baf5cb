import { describe, expect, it } from 'vitest';
import type { FaultVerb, Runtime } from '../lab/runtime.js';
import { FaultLedger } from './fault-ledger.js';
import type { FaultRecord } from './run-results.js';

/** A runtime that records fault verbs and can be told to refuse one. */
function fakeRuntime(refuse?: string) {
  const calls: string[] = [];
  const runtime = {
    name: 'process',
    fault: async (_lab: string, verb: FaultVerb, target: string) => {
      if (`${verb} ${target}` === refuse) throw new Error('refused');
      calls.push(`${verb} ${target}`);
      return [target];
    },
  } as unknown as Runtime;
  return { runtime, calls };
}

describe('FaultLedger', () => {
  it('undoes every open fault, newest first, and reports each as an undo', async () => {
    const { runtime, calls } = fakeRuntime();
    const records: FaultRecord[] = [];
    const ledger = new FaultLedger(
      runtime,
      'lab',
      () => 0,
      (r) => records.push(r),
    );
    await ledger.apply('stop', 'redis');
    await ledger.apply('pause', 'suggestion-service#2');
    await ledger.apply('kill', 'worker-service');
    await ledger.apply('restart', 'rabbitmq');
    expect(await ledger.undoAll()).toEqual([]);
    expect(calls.slice(4)).toEqual(['start worker-service', 'unpause suggestion-service#2', 'start redis']);
    expect(records.filter((r) => r.undo).map((r) => r.verb)).toEqual(['start', 'unpause', 'start']);
    expect(ledger.openFaults).toEqual([]);
  });

  it('forgets a fault the scenario undid itself, also when it started the whole component', async () => {
    const { runtime, calls } = fakeRuntime();
    const ledger = new FaultLedger(
      runtime,
      'lab',
      () => 0,
      () => {},
    );
    await ledger.apply('kill', 'availability-service#1');
    await ledger.apply('stop', 'redis');
    await ledger.apply('start', 'availability-service');
    await ledger.apply('start', 'redis');
    await ledger.undoAll();
    expect(calls).toEqual(['kill availability-service#1', 'stop redis', 'start availability-service', 'start redis']);
  });

  it('runs remembered undo actions, now or at the end, once', async () => {
    const { runtime } = fakeRuntime();
    const ledger = new FaultLedger(
      runtime,
      'lab',
      () => 0,
      () => {},
    );
    const undone: string[] = [];
    ledger.remember('table-away', async () => void undone.push('table back'));
    ledger.remember('other', async () => void undone.push('other back'));
    expect(await ledger.undoNow('table-away')).toBe(true);
    expect(await ledger.undoNow('table-away')).toBe(false);
    await ledger.undoAll();
    expect(undone).toEqual(['table back', 'other back']);
  });

  it('undoes a fault that failed part way (one replica of two), since the rest of it may hold', async () => {
    const { runtime, calls } = fakeRuntime('pause suggestion-service');
    const ledger = new FaultLedger(
      runtime,
      'lab',
      () => 0,
      () => {},
    );
    await expect(ledger.apply('pause', 'suggestion-service')).rejects.toThrow('refused');
    await ledger.undoAll();
    expect(calls).toEqual(['unpause suggestion-service']);
  });

  it('keeps undoing the rest when one undo fails, and says which', async () => {
    const { runtime, calls } = fakeRuntime('start redis');
    const ledger = new FaultLedger(
      runtime,
      'lab',
      () => 0,
      () => {},
    );
    await ledger.apply('stop', 'redis');
    await ledger.apply('stop', 'postgres');
    expect(await ledger.undoAll()).toEqual(['start redis: refused']);
    expect(calls).toContain('start postgres');
  });
});
