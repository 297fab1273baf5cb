import { describe, expect, it } from 'vitest';
import { sanitizeCaseId } from './case-id.js';

const fresh = () => 'fresh-id';

describe('sanitizeCaseId', () => {
  it.each(['abc', 'trace-123', 'A.b_c:d-e', 'x'.repeat(128), 'f52cdfbbe32c8109f20e6faa1796aee6'])('keeps %s', (id) => {
    expect(sanitizeCaseId(id, fresh)).toBe(id);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['CR/LF', 'abc\r\nSet-Cookie: x'],
    ['spaces', 'a b'],
    ['slash', 'a/b'],
    ['a number', 42],
  ])('replaces %s', (_, id) => {
    expect(sanitizeCaseId(id, fresh)).toBe('fresh-id');
  });

  it('takes the first of repeated headers', () => {
    expect(sanitizeCaseId(['one', 'two'], fresh)).toBe('one');
  });

  it('generates UUIDs by default', () => {
    expect(sanitizeCaseId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
