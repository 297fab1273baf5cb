import { describe, expect, it } from 'vitest';
import type { StepContext } from '../step-context.js';
import { retryWaitMs, runCreateUsersStep } from './create-users-step.js';

/** A target that answers each POST from a script of statuses (then 201), on a clock that only counts the waits. */
function context(script: number[], retryAfter?: string) {
  const sent: number[] = [];
  const waited: number[] = [];
  let now = 0;
  const ctx = {
    scenario: 's',
    runId: 'r',
    vars: {},
    signal: new AbortController().signal,
    clock: {
      nowUs: () => now,
      sleepUntilUs: async (us: number) => {
        waited.push((us - now) / 1000);
        now = us;
      },
    },
    http: {
      send: async () => {
        const status = script.shift() ?? 201;
        sent.push(status);
        return { status, headers: retryAfter ? { 'retry-after': retryAfter } : {}, text: '', latencyMs: 1 };
      },
    },
  } as unknown as StepContext;
  return { ctx, sent, waited };
}

const step = { name: 'users', create_users: { as: 'users', count: 1 } } as never;

describe('making the users a scenario needs', () => {
  it('tries a 503 again after a wait, as the contract asks of a client, and counts it', async () => {
    const { ctx, sent, waited } = context([503, 503]);
    const outcome = await runCreateUsersStep(step, ctx);
    expect(sent).toEqual([503, 503, 201]);
    expect(waited).toEqual([500, 1000]);
    expect(outcome.metrics).toEqual({ count: 1, failed: 0, retried: 2 });
  });

  it('takes a 409 after a 503 as made: the first try was kept after its timeout', async () => {
    const { ctx } = context([503, 409]);
    expect((await runCreateUsersStep(step, ctx)).failures).toEqual([]);
  });

  it('fails after three tries more, naming the status; a 409 at the first try is a failure', async () => {
    const { ctx } = context([503, 503, 503, 503]);
    expect((await runCreateUsersStep(step, ctx)).failures).toEqual([expect.stringMatching(/: 503$/)]);
    const taken = context([409]);
    expect((await runCreateUsersStep(step, taken.ctx)).failures).toEqual([expect.stringMatching(/: 409$/)]);
  });

  it("waits as long as the server's Retry-After says, up to 5 s", async () => {
    const { ctx, waited } = context([503], '2');
    await runCreateUsersStep(step, ctx);
    expect(waited).toEqual([2000]);
    expect(retryWaitMs('120', 500)).toBe(5000);
    expect(retryWaitMs('soon', 500)).toBe(500);
  });
});
