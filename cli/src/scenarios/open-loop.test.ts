import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { runOpenLoop } from './open-loop.js';

describe('runOpenLoop', () => {
  it('starts send i at start + i / rate, whatever the earlier sends are doing', async () => {
    const clock = new FakeClock();
    clock.now = 1_000;
    const intended: number[] = [];
    const started: number[] = [];
    const result = await runOpenLoop({
      rate: 5000,
      total: 10,
      maxInFlight: 100,
      clock,
      send: async (at) => {
        intended.push(at);
        started.push(clock.nowUs());
      },
    });
    expect(intended).toEqual(Array.from({ length: 10 }, (_, i) => 1_000 + i * 200));
    expect(started).toEqual(intended);
    expect(result).toEqual({ sent: 10, dropped: 0, errors: 0, errorMessages: [], maxLagUs: 0 });
  });

  it('drops and counts the sends that find every slot still busy, instead of delaying them', async () => {
    const clock = new FakeClock();
    const open: Array<() => void> = [];
    const run = runOpenLoop({
      rate: 1000,
      total: 10,
      maxInFlight: 3,
      clock,
      // A stalled server: no send answers until the test lets them.
      send: () => new Promise<void>((resolve) => open.push(resolve)),
    });
    for (let i = 0; i < 50; i++) await Promise.resolve();
    for (const resolve of open) resolve();
    const result = await run;
    expect(result.sent).toBe(3);
    expect(result.dropped).toBe(7);
  });

  it('reports how far behind its schedule the sender fell', async () => {
    const clock = new FakeClock();
    const result = await runOpenLoop({
      rate: 1000,
      total: 3,
      maxInFlight: 10,
      clock,
      // Each send blocks the sender's thread for 2.5 ms before it yields (a busy event loop).
      send: async () => clock.advance(2_500),
    });
    // Sends were due at 0, 1000 and 2000 µs; they started at 0, 2500 and 5000.
    expect(result.maxLagUs).toBe(3_000);
  });

  it('stops scheduling when aborted', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let sends = 0;
    const result = await runOpenLoop({
      rate: 1000,
      total: 100,
      maxInFlight: 10,
      clock,
      signal: controller.signal,
      send: async () => {
        if (++sends === 5) controller.abort();
      },
    });
    expect(result.sent).toBe(5);
  });

  it('counts the sends whose callback throws, with their messages, and goes on', async () => {
    const clock = new FakeClock();
    const result = await runOpenLoop({
      rate: 1000,
      total: 6,
      maxInFlight: 10,
      clock,
      send: async (_at, i) => {
        if (i % 2) throw new SyntaxError(`Unexpected token < in JSON (send ${i})`);
      },
    });
    expect(result.sent).toBe(6);
    expect(result.errors).toBe(3);
    expect(result.errorMessages[0]).toContain('Unexpected token');
  });
});
