import { describe, expect, it } from 'vitest';
import { JobStats } from './job-stats.js';

describe("the worker's stall check", () => {
  it('is stalled only with jobs in hand and none settled for the whole window', () => {
    const stats = new JobStats();
    stats.lastSettledAt = 1_000;
    expect(stats.stalledFor(30_000, 100_000)).toBe(false); // nothing in hand: idle, not stalled
    stats.inFlight = 16;
    expect(stats.stalledFor(30_000, 20_000)).toBe(false);
    expect(stats.stalledFor(30_000, 40_000)).toBe(true);
  });
});
