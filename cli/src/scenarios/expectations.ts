import type { Expectation } from './scenario-types.js';
import type { Exchange } from './http-exchange.js';

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * What is wrong with an answer, or null when it meets the expectation. `X-Cache` is the contract's
 * name for the cache outcome: it is checked against what was observed (the header, or the
 * deployment's logs), and not at all where the outcome cannot be observed.
 */
export function unmetExpectation(ex: Exchange, expect: Expectation | undefined, cacheObservable = true): string | null {
  if (ex.error) return `no answer: ${ex.error}`;
  if (!expect) return null;
  if (expect.status !== undefined) {
    const allowed = Array.isArray(expect.status) ? expect.status : [expect.status];
    if (!allowed.includes(ex.status)) return `status ${ex.status}, expected ${allowed.join(' or ')}`;
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const isCache = name.toLowerCase() === 'x-cache';
    if (isCache && !cacheObservable) continue;
    const got = isCache ? ex.cache : ex.headers[name.toLowerCase()];
    if (got !== value) return `${name}: ${got ?? '(none)'}, expected ${value}`;
  }
  if (expect.json) {
    let body: unknown;
    try {
      body = JSON.parse(ex.text);
    } catch {
      return 'the body is not JSON';
    }
    for (const [path, want] of Object.entries(expect.json)) {
      const got = at(body, path);
      if (want === '*' ? got === undefined : JSON.stringify(got) !== JSON.stringify(want)) {
        return `${path} is ${JSON.stringify(got)}, expected ${want === '*' ? 'a value' : JSON.stringify(want)}`;
      }
    }
  }
  return null;
}
