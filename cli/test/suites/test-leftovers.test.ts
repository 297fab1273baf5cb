import { describe, expect, it } from 'vitest';
import { TEST_LAB_NAME } from './test-leftovers.js';

describe('the names of the tests’ own labs', () => {
  it('match every lab and compose project the tests make, and no lab a person would name', () => {
    for (const name of ['w2meet-it', 'w2meet-it-swarm', 'w2meet-it-swarm-reg', 'w2meet-cli-it', 'w2meet-dash-up-it', 'w2meet-foreign-it'])
      expect(name).toMatch(TEST_LAB_NAME);
    for (const name of ['default', 'w2meet', 'w2meet-default', 'class-it', 'w2meet-itinerary', 'w2meet-edit'])
      expect(name).not.toMatch(TEST_LAB_NAME);
  });
});
