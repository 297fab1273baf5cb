import { describe, expect, it } from 'vitest';
import { ExchangeRecorder } from './exchange-recorder.js';
import type { Exchange } from './http-exchange.js';
import { unmetExpectation } from './expectations.js';

const ex = (over: Partial<Exchange>): Exchange => ({ status: 200, headers: {}, text: '', latencyMs: 1, ...over });

describe('ExchangeRecorder', () => {
  it('keeps client and server times per status class, status and cache outcome', () => {
    const r = new ExchangeRecorder();
    r.record(ex({ latencyMs: 1, serverMs: 0.5, cache: 'MISS' }), null);
    r.record(ex({ latencyMs: 0.4, serverMs: 0.1, cache: 'HIT' }), null);
    r.record(ex({ latencyMs: 0.3, serverMs: 0.1, cache: 'HIT' }), null);
    r.record(ex({ status: 404, latencyMs: 2 }), 'status 404, expected 200');
    const m = r.metrics(1000);
    expect(m).toMatchObject({ count: 4, failed: 1, errors: 0, rps: 4, 'status.2xx.count': 3, 'status.404.count': 1, 'cache.HIT.count': 2 });
    expect(m['cache.HIT.ratio']).toBe(0.5);
    expect(m['cache.MISS.server.p50']).toBeCloseTo(0.5, 3);
    expect(m['cache.HIT.latency.max']).toBeCloseTo(0.4, 3);
    expect(r.failures).toEqual(['status 404, expected 200']);
    expect(Object.keys(r.histograms())).toContain('cache.HIT.server');
  });

  it('measures the spread over the replicas the lab runs, counting one that never answered', () => {
    const r = new ExchangeRecorder();
    for (let i = 0; i < 60; i++) r.record(ex({ instance: 'a-1' }), null);
    for (let i = 0; i < 40; i++) r.record(ex({ instance: 'a-2' }), null);
    expect(r.metrics(1, ['a-1', 'a-2'])).toMatchObject({ 'instances.count': 2, 'instances.missing': 0, 'instances.spread': 0.2 });
    expect(r.metrics(1, ['a-1', 'a-2', 'a-3'])).toMatchObject({ 'instances.count': 2, 'instances.missing': 1 });
  });

  it('gives no spread when nothing answered or no replica is known: an even split of nothing is no evidence', () => {
    expect(new ExchangeRecorder().metrics(1, ['a-1', 'a-2'])).not.toHaveProperty('instances.spread');
    const r = new ExchangeRecorder();
    // Answers without X-Instance, from a lab whose replicas are not known.
    r.record(ex({}), null);
    expect(r.metrics(1, [])).not.toHaveProperty('instances.spread');
  });
});

describe('unmetExpectation', () => {
  // The HTTP client reads the cache outcome from the header into `cache`, as it does on w2meet's labs.
  const answer = ex({ status: 200, headers: { 'x-cache': 'HIT' }, cache: 'HIT', text: '{"a":{"b":[1,2]},"s":"x"}' });

  it('accepts an answer that meets status, headers and JSON fields', () => {
    expect(unmetExpectation(answer, { status: [200, 201], headers: { 'X-Cache': 'HIT' }, json: { 'a.b': [1, 2], s: '*' } })).toBeNull();
  });

  it('says what differs', () => {
    expect(unmetExpectation(answer, { status: 201 })).toBe('status 200, expected 201');
    expect(unmetExpectation(answer, { headers: { 'X-Cache': 'MISS' } })).toBe('X-Cache: HIT, expected MISS');
    expect(unmetExpectation(answer, { json: { 'a.b': [1] } })).toBe('a.b is [1,2], expected [1]');
    expect(unmetExpectation(answer, { json: { missing: '*' } })).toBe('missing is undefined, expected a value');
    expect(unmetExpectation(ex({ status: 0, error: 'ECONNREFUSED' }), undefined)).toBe('no answer: ECONNREFUSED');
  });

  it('checks X-Cache against the outcome observed, from a header or from logs, and skips it where none can be', () => {
    // A deployment without the header, its outcome read from its logs.
    const fromLogs = ex({ status: 200, headers: {}, cache: 'MISS' });
    expect(unmetExpectation(fromLogs, { headers: { 'X-Cache': 'MISS' } })).toBeNull();
    expect(unmetExpectation(fromLogs, { headers: { 'X-Cache': 'HIT' } })).toBe('X-Cache: MISS, expected HIT');
    const unseen = ex({ status: 200, headers: {} });
    expect(unmetExpectation(unseen, { headers: { 'X-Cache': 'HIT' } })).toBe('X-Cache: (none), expected HIT');
    expect(unmetExpectation(unseen, { status: 200, headers: { 'X-Cache': 'HIT' } }, false)).toBeNull();
    expect(unmetExpectation(unseen, { status: 201, headers: { 'X-Cache': 'HIT' } }, false)).toBe('status 200, expected 201');
  });
});
