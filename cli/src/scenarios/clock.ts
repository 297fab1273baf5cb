import { setImmediate as immediate, setTimeout as sleep } from 'node:timers/promises';

/** Time as the engine sees it, in microseconds; a parameter so schedulers are tested on a fake one. */
export interface Clock {
  nowUs(): number;
  /** Resolves at `us` or just after; at once when that time has passed. */
  sleepUntilUs(us: number): Promise<void>;
}

const ORIGIN = process.hrtime.bigint();

/**
 * The real clock: `process.hrtime` for reading, a timer for the bulk of a wait and `setImmediate`
 * for its last millisecond, since timers alone are only good to about a millisecond and an open
 * loop at thousands of requests per second needs better.
 */
export const realClock: Clock = {
  nowUs: () => Number(process.hrtime.bigint() - ORIGIN) / 1000,
  async sleepUntilUs(us) {
    let left = us - realClock.nowUs();
    if (left > 1500) await sleep(Math.floor((left - 1000) / 1000));
    while ((left = us - realClock.nowUs()) > 0) await immediate();
  },
};
