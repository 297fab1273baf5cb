import { describe, expect, it } from 'vitest';
import { catastrophicPattern } from './regex-safety.js';

describe('a profile pattern that can backtrack catastrophically', () => {
  it.each([
    ['CACHE (\\w+)+$', '(\\w+)'],
    ['(a|ab)*c', '(a|ab)'],
    ['^(\\s*x)*$', '(\\s*x)'],
    ['((ab)+)+', '((ab)+)'],
    ['(?:\\d+){2,}', '(?:\\d+)'],
  ])('refuses %s, naming the group', (pattern, group) => {
    expect(catastrophicPattern(pattern)).toContain(group);
  });

  it.each([
    '\\[(?<case_id>[^\\]]+)\\]',
    'CACHE (HIT|MISS)',
    'Time taken=(?<ms>[0-9.]+) ms',
    '^\\S+ \\[(INFO|WARN)\\] \\[(?<case_id>[\\w-]+)\\]',
    '(ab)+',
    '(a|b)?c',
    '[(+*)]+',
  ])('takes %s', (pattern) => {
    expect(catastrophicPattern(pattern)).toBeNull();
  });

  it('times the refused example, to show what it would cost (printed, not asserted)', () => {
    const line = `CACHE ${'a'.repeat(24)}!`;
    const started = performance.now();
    /CACHE (\w+)+$/.test(line);
    console.log(`(\\w+)+$ on ${line.length} characters: ${(performance.now() - started).toFixed(0)} ms`);
  });
});
