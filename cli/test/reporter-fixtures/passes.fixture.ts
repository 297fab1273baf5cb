import { expect, it } from 'vitest';

it('passes', () => {
  expect(1 + 1).toBe(2);
});

it.skipIf(true)('is skipped on this machine (needs a tool it lacks)', () => {});
