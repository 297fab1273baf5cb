import { describe, expect, it } from 'vitest';
import { cacheKey, isSameUser, normalizeAvailabilities, normalizeEmail, WEEKDAYS } from './user-model.js';

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

  it('never gives two stored users one cache key, where upper case folds letters together', () => {
    const pairs = [
      ['ſam@x.de', 'sam@x.de'],
      ['straße@x.de', 'strasse@x.de'],
      ['ǆ@x.de', 'ǅ@x.de'],
      ['ﬀ@x.de', 'ff@x.de'],
    ];
    for (const [a, b] of pairs) {
      const [na, nb] = [normalizeEmail(a!), normalizeEmail(b!)];
      if (na === nb) continue; // one stored user: sharing a key is right
      expect(cacheKey(na), `${a} / ${b}`).not.toBe(cacheKey(nb));
    }
    expect(cacheKey('sam@x.de')).toBe('cache_aside_SAM@X.DE');
  });
});

describe('a repeated POST', () => {
  const stored = {
    email: 'a@b.de',
    availabilities: normalizeAvailabilities({ monday: [9, 10] }),
    preferences: 'last' as const,
    created_at: '',
  };
  it('is the same user only with the same hours and preference', () => {
    expect(isSameUser(stored, normalizeAvailabilities({ monday: [10, 9, 9] }), 'last')).toBe(true);
    expect(isSameUser(stored, normalizeAvailabilities({ monday: [10] }), 'last')).toBe(false);
    expect(isSameUser(stored, normalizeAvailabilities({ monday: [9, 10] }), 'first')).toBe(false);
  });
});
