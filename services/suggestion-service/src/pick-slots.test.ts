import { describe, expect, it } from 'vitest';
import { candidates, pickSuggestions } from './pick-slots.js';

const common = { wednesday: [14], monday: [11, 10], friday: [16] };
const first = { day: 'monday', slot: [10, 11] };
const last = { day: 'friday', slot: [16, 17] };

describe('slot candidates', () => {
  it('are in weekday order, monday first, hours ascending', () => {
    expect(candidates(common).map((c) => `${c.day}:${c.slot[0]}`)).toEqual(['monday:10', 'monday:11', 'wednesday:14', 'friday:16']);
  });
});

describe('pickSuggestions', () => {
  it('picks one slot when both users prefer the same', () => {
    expect(pickSuggestions(common, 'first', 'first')).toEqual([first]);
    expect(pickSuggestions(common, 'last', 'last')).toEqual([last]);
  });

  it("picks user1's, then user2's, when they differ", () => {
    expect(pickSuggestions(common, 'first', 'last')).toEqual([first, last]);
    expect(pickSuggestions(common, 'last', 'first')).toEqual([last, first]);
  });

  it('lets an override decide for both', () => {
    expect(pickSuggestions(common, 'first', 'last', 'last')).toEqual([last]);
  });

  it('picks any candidate for random, from the given source of randomness', () => {
    expect(pickSuggestions(common, 'random', 'random', undefined, () => 0.5)).toEqual([{ day: 'wednesday', slot: [14, 15] }]);
    expect(pickSuggestions(common, 'random', 'first', undefined, () => 0)).toEqual([first]);
  });

  it('gives one slot when different preferences land on the same candidate', () => {
    expect(pickSuggestions({ monday: [9] }, 'first', 'last')).toEqual([{ day: 'monday', slot: [9, 10] }]);
  });

  it('suggests nothing without a common hour', () => {
    expect(pickSuggestions({ monday: [] }, 'first', 'last')).toEqual([]);
  });
});
