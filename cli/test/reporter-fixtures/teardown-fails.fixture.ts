import { afterAll, expect, it } from 'vitest';

afterAll(() => {
  throw new Error('the tear-down failed');
});

it('passes before a tear-down that fails', () => {
  expect(true).toBe(true);
});
