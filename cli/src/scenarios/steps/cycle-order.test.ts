import { describe, expect, it } from 'vitest';
import { cycleOrder } from './cycle-order.js';

describe('cycleOrder', () => {
  it('reads each item once in order when it repeats nothing', () => {
    expect(cycleOrder(4, 1, 1)).toEqual([0, 1, 2, 3]);
  });

  it('reads each item twice, the second read `apart` places after the first', () => {
    const order = cycleOrder(6, 2, 3);
    expect(order).toHaveLength(12);
    for (let item = 0; item < 6; item++) {
      const at = order.flatMap((x, i) => (x === item ? [i] : []));
      expect(at).toHaveLength(2);
      // Far enough apart that two connections never read a new item at once.
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(3);
    }
    // First reads and second reads interleave once the first second read is due.
    expect(order.slice(0, 8)).toEqual([0, 1, 2, 3, 0, 4, 1, 5]);
  });
});
