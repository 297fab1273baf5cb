import { describe, expect, it } from 'vitest';
import { JobRate } from './job-rate.js';

describe('JobRate', () => {
  it('says nothing until a replica was read twice', () => {
    const r = new JobRate();
    expect(r.update(0, { 'worker-1': 5000 })).toBeNull();
    expect(r.update(3000, { 'worker-1': 5000 })).toBe(0);
  });

  it('never takes one replica’s counter against another’s (an idle lab read through the gateway shows 0)', () => {
    const r = new JobRate();
    // Two idle replicas with different totals, reached in turn as the gateway balances the reads.
    const readings: Array<Record<string, number>> = [
      { 'worker-1': 4000 },
      { 'worker-2': 4870 },
      { 'worker-1': 4000 },
      { 'worker-2': 4870 },
    ];
    const shown = readings.map((counts, n) => r.update(n * 3000, counts));
    expect(shown).toEqual([null, null, 0, 0]);
  });

  it('adds the replicas’ own rates, and forgets one that restarted or was not reached', () => {
    const r = new JobRate();
    r.update(0, { 'worker-1': 0, 'worker-2': 100 });
    expect(r.update(1000, { 'worker-1': 50, 'worker-2': 130 })).toBe(80);
    expect(r.update(2000, { 'worker-1': 100, 'worker-2': 10 })).toBe(50);
    expect(r.update(3000, { 'worker-1': 100 })).toBe(0);
  });
});
