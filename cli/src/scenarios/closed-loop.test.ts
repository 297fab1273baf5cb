import { describe, expect, it } from 'vitest';
import { runClosedLoop } from './closed-loop.js';
import { FakeClock } from '../testing/fake-clock.js';

describe('runClosedLoop', () => {
  it('keeps exactly `connections` sends open and stops at the count', async () => {
    const clock = new FakeClock();
    let open = 0;
    let most = 0;
    const result = await runClosedLoop({
      connections: 4,
      total: 50,
      clock,
      send: async () => {
        most = Math.max(most, ++open);
        await new Promise((r) => setTimeout(r, 0));
        open--;
      },
    });
    expect(result.sent).toBe(50);
    expect(most).toBe(4);
  });

  it('stops at the duration', async () => {
    const clock = new FakeClock();
    const result = await runClosedLoop({ connections: 2, durationUs: 10_000, clock, send: async () => clock.advance(1_000) });
    expect(result.sent).toBe(10);
  });

  it('refuses a loop with no end', async () => {
    await expect(runClosedLoop({ connections: 1, clock: new FakeClock(), send: async () => {} })).rejects.toThrow(/count or a duration/);
  });
});
