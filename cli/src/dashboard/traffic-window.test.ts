import { describe, expect, it } from 'vitest';
import type { LogLine } from '../lab/runtime.js';
import { HISTORY, RATE_WINDOW, TrafficWindow, windowRate } from './traffic-window.js';

const done = (instance: string, ms: number, cache?: string): LogLine => ({
  instance,
  line: '',
  record: { msg: 'request completed', duration_ms: ms, ...(cache ? { server_timing: `app;dur=${ms}, cache;desc="${cache}"` } : {}) },
});

describe('TrafficWindow', () => {
  it("turns the lab's own log lines into requests per second and percentiles per service", () => {
    const w = new TrafficWindow();
    for (let i = 1; i <= 100; i++) w.add(done('availability-service-2', i));
    w.add({ instance: 'gateway', line: '', record: { msg: 'request completed', duration_s: 0.004 } });
    w.add({ instance: 'gateway', line: 'not json', record: null });
    const snap = w.tick(['user-service']);
    expect(snap.services['availability-service']).toMatchObject({ rps: [100], p50: 50, p99: 99 });
    expect(snap.services.gateway).toMatchObject({ rps: [1], p50: 4 });
    // A quiet service still gets its second, at zero, so its sparkline keeps time.
    expect(snap.services['user-service']).toMatchObject({ rps: [0], p50: null });
  });

  it("leaves out w2meet's own health probes and the dashboard's own requests", () => {
    const w = new TrafficWindow();
    w.add({ instance: 'user-service', line: '', record: { msg: 'request completed', duration_ms: 1, case_id: 'w2meet-probe' } });
    w.add({ instance: 'gateway', line: '', record: { msg: 'request completed', duration_s: 0.001, case_id: 'w2meet-dashboard' } });
    w.add({ instance: 'gateway', line: '', record: { msg: 'request completed', duration_s: 0.002, case_id: 'abc' } });
    const snap = w.tick(['user-service', 'gateway']);
    expect(snap.services['user-service']!.rps).toEqual([0]);
    expect(snap.services.gateway!.rps).toEqual([1]);
  });

  it('keeps the last 30 seconds and the cache hit ratio over them', () => {
    const w = new TrafficWindow();
    w.add(done('user-service', 1, 'MISS'));
    w.add(done('user-service', 1, 'HIT'));
    w.add(done('user-service', 1, 'HIT'));
    w.add(done('user-service', 1, 'BYPASS'));
    let snap = w.tick([]);
    expect(snap.cacheHitRatio).toBeCloseTo(2 / 3);
    for (let i = 0; i < 40; i++) snap = w.tick(['user-service']);
    expect(snap.services['user-service']!.rps).toHaveLength(HISTORY);
    expect(snap.cacheHitRatio).toBeNull();
  });

  it('shows a burst as a rate over the last few seconds, not as the last second alone', () => {
    const w = new TrafficWindow();
    for (let i = 0; i < 30; i++) w.add(done('gateway', 1));
    let snap = w.tick(['gateway']);
    expect(snap.services.gateway!.rate).toBe(30);
    // The next second is quiet: the last bucket is 0, the rate is the burst spread over the seconds so far.
    snap = w.tick(['gateway']);
    expect(snap.services.gateway!.rps.at(-1)).toBe(0);
    expect(snap.services.gateway!.rate).toBe(15);
    for (let i = 0; i < RATE_WINDOW - 2; i++) snap = w.tick(['gateway']);
    expect(snap.services.gateway!.rate).toBe(30 / RATE_WINDOW);
    snap = w.tick(['gateway']);
    expect(snap.services.gateway!.rate).toBe(0);
  });
});

describe('windowRate', () => {
  it('averages the newest buckets of the window, and is 0 with none', () => {
    expect(windowRate([])).toBe(0);
    expect(windowRate([100, 1, 2, 3, 4, 5], 5)).toBe(3);
  });
});
