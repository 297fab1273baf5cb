import type { CreateUsersStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';

/** Hours every made-up user shares, so any two of them have a meeting to suggest. */
const AVAILABILITIES = { monday: [9, 10, 11, 14], wednesday: [10, 11, 15], friday: [9, 16] };
const PREFERENCES = ['first', 'last'] as const;
const PARALLEL = 8;

export interface MadeUser {
  email: string;
  /** The contract's user id is the email; both names read naturally in scenario files. */
  id: string;
}

/**
 * Makes `count` users with addresses unique to the run, stored as a list variable, so the first
 * read of each is a cache miss and runs never collide.
 */
export async function runCreateUsersStep(step: CreateUsersStep, ctx: StepContext): Promise<StepOutcome> {
  const { as, count } = step.create_users;
  const users: MadeUser[] = Array.from({ length: count }, (_, i) => {
    const email = `${as}-${i}.${ctx.scenario}.${ctx.runId}@w2meet.example`.toLowerCase();
    return { email, id: email };
  });
  const failures: string[] = [];
  let retried = 0;
  let next = 0;
  const worker = async () => {
    while (next < users.length && !ctx.signal.aborted) {
      const i = next++;
      const send = () =>
        ctx.http.send({
          method: 'POST',
          path: '/users/users',
          headers: { 'Case-ID': caseIdFor(ctx.runId, step.name, i) },
          body: { email: users[i]!.email, availabilities: AVAILABILITIES, preferences: PREFERENCES[i % 2] },
        });
      let ex = await send();
      // Setting up is not what a scenario measures: a 503 (the contract's "try again") is tried
      // again, as a client should. A 409 then is a first try the database kept after its timeout.
      for (let attempt = 0; ex.status === 503 && attempt < RETRY_WAITS_MS.length && !ctx.signal.aborted; attempt++) {
        retried++;
        await ctx.clock.sleepUntilUs(ctx.clock.nowUs() + retryWaitMs(ex.headers['retry-after'], RETRY_WAITS_MS[attempt]!) * 1000);
        ex = await send();
        if (ex.status === 409) ex = { ...ex, status: 201 };
      }
      if (ex.status !== 201 && failures.length < 5) failures.push(`POST /users/users for ${users[i]!.email}: ${ex.status || ex.error}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, count) }, worker));
  ctx.vars[as] = users;
  return { metrics: { count, failed: failures.length, retried }, failures };
}

/** How long a create answered 503 waits before each new try: at most three, 5.5 s in all. */
const RETRY_WAITS_MS = [500, 1000, 4000];

/** The server's Retry-After (seconds) where it gives one, up to 5 s; else the step's own wait. */
export function retryWaitMs(retryAfter: string | undefined, fallback: number): number {
  const seconds = Number(retryAfter);
  return retryAfter !== undefined && Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 5) * 1000 : fallback;
}
