import { describe, expect, it } from 'vitest';
import { totals } from './print-summary.js';

describe('totals', () => {
  it('adds up every summary line, and counts a phase that failed without saying how as one failure', () => {
    expect(
      totals([
        { name: 'unit', code: 0, seconds: 1, summary: ['unit: 10 passed, 0 failed, 1 skipped', '  skipped: a > b'] },
        { name: 'int', code: 1, seconds: 1, summary: ['int: 5 passed, 2 failed, 0 skipped'] },
        { name: 'typecheck', code: 2, seconds: 1, summary: [] },
        { name: 'lint', code: 0, seconds: 1, summary: [] },
      ]),
    ).toEqual({ passed: 15, failed: 3, skipped: 1 });
  });
});
