import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { checkLabName, parseReplicas } from './open-lab.js';

describe('parseReplicas', () => {
  it('accepts full and short service names', () => {
    expect(parseReplicas('availability=3,suggestion-service=1')).toEqual({ 'availability-service': 3, 'suggestion-service': 1 });
    expect(parseReplicas(undefined)).toEqual({});
  });

  it.each(['cache=2', 'availability=0', 'availability=9', 'availability=two', 'availability'])('rejects %s with a usage error', (text) => {
    expect(() => parseReplicas(text)).toThrow(UsageError);
  });
});

describe('checkLabName', () => {
  it('accepts short lower-case names and rejects others', () => {
    expect(checkLabName('class-3')).toBe('class-3');
    for (const bad of ['', 'Upper', '-dash', 'a'.repeat(40), 'a/b', 'a b']) expect(() => checkLabName(bad)).toThrow(UsageError);
  });
});
