import { beforeAll, describe, expect, it } from 'vitest';

it('passes outside the suite that breaks', () => {
  expect(true).toBe(true);
});

describe('a suite whose own set-up fails', () => {
  beforeAll(() => {
    throw new Error('the suite set-up failed');
  });

  it('never runs', () => {
    expect(true).toBe(true);
  });
});
