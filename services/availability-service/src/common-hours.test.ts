import { describe, expect, it } from 'vitest';
import { commonHours } from './common-hours.js';

describe('commonHours', () => {
  it('keeps the hours both users share, per day, ascending', () => {
    expect(commonHours({ monday: [11, 9, 10], friday: [1] }, { monday: [10, 11, 12], tuesday: [9] })).toEqual({
      monday: [10, 11],
      tuesday: [],
      wednesday: [],
      thursday: [],
      friday: [],
      saturday: [],
      sunday: [],
    });
  });

  it('treats a missing day as no hours and ignores duplicates', () => {
    expect(commonHours({ sunday: [5, 5] }, { sunday: [5] }).sunday).toEqual([5]);
    expect(commonHours({}, { sunday: [5] }).sunday).toEqual([]);
  });
});
