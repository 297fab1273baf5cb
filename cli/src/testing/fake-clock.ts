import type { Clock } from '../scenarios/clock.js';

/**
 * A clock for scheduler tests: time moves only when a sleeper asks for a later moment, or when
 * the test advances it, so a test can show a schedule kept to the microsecond.
 */
export class FakeClock implements Clock {
  now = 0;

  nowUs(): number {
    return this.now;
  }

  async sleepUntilUs(us: number): Promise<void> {
    if (us > this.now) this.now = us;
    await Promise.resolve();
  }

  advance(us: number): void {
    this.now += us;
  }
}
