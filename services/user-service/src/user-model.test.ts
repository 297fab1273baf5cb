import { describe, expect, it } from 'vitest';
import { cacheKey, normalizeAvailabilities, normalizeEmail, WEEKDAYS } from './user-model.js';

describe('the stored form of a user', () => {
  it('has all seven days in weekday order, hours sorted and unique', () => {
    const out = normalizeAvailabilities({ friday: [15, 9, 9, 12], monday: [] });
    expect(Object.keys(out)).toEqual([...WEEKDAYS]);
    expect(out.friday).toEqual([9, 12, 15]);
    expect(out.sunday).toEqual([]);
  });

  it('keeps emails lower-case and names cache keys in upper case, as the reference did', () => {
    expect(normalizeEmail('Alice@Example.COM')).toBe('alice@example.com');
    expect(cacheKey('alice@example.com')).toBe('cache_aside_ALICE@EXAMPLE.COM');
  });
});
