import { describe, expect, it } from 'vitest';
import { GRADE_EXIT, gradeExitCode } from './grade.js';

const summary = (scenarios: number, checks: number, claims: number) => ({
  scenarios: { failed: scenarios },
  checks: { failed: checks },
  claims: { fails: claims },
});

describe("grade's exit code", () => {
  it('is 0 only when nothing failed, 4 for a failed claim, 3 for a failed check or scenario whatever the claims', () => {
    expect(gradeExitCode(summary(0, 0, 0))).toBe(GRADE_EXIT.passed);
    expect(gradeExitCode(summary(0, 0, 1))).toBe(4);
    expect(gradeExitCode(summary(0, 2, 1))).toBe(3);
    expect(gradeExitCode(summary(1, 0, 0))).toBe(3);
  });
});
