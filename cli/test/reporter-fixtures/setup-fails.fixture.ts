import { beforeAll, expect, it } from 'vitest';

beforeAll(() => {
  throw new Error('the set-up failed');
});

it('never runs: its set-up failed', () => {
  expect(true).toBe(true);
});

it('never runs either', () => {
  expect(true).toBe(true);
});
