import { describe, expect, it } from 'vitest';
import type { VerdictStatus } from './claim-verdict.js';
import { GRADE_EXIT, gradeExitCode } from './grade.js';

const report = (scenariosFailed: number, checksFailed: number, claims: Array<VerdictStatus | [VerdictStatus, 'out of run']>) => ({
  summary: { scenarios: { failed: scenariosFailed }, checks: { failed: checksFailed } },
  claims: claims.map((c) => (Array.isArray(c) ? { status: c[0], outOfRun: true } : { status: c, outOfRun: false })),
});

describe("grade's exit code", () => {
  it('is 0 only when every check passed and every claim of the run holds', () => {
    expect(gradeExitCode(report(0, 0, ['holds', 'holds']))).toBe(GRADE_EXIT.passed);
  });

  it('is 3 for a failed check or scenario, whatever the claims', () => {
    expect(gradeExitCode(report(0, 2, ['fails']))).toBe(3);
    expect(gradeExitCode(report(1, 0, ['holds']))).toBe(3);
  });

  it('is 4 for a failed claim, before one not measured or inconclusive', () => {
    expect(gradeExitCode(report(0, 0, ['holds', 'not-measured', 'inconclusive', 'fails']))).toBe(4);
  });

  it('is 6 when nothing failed but a claim of the run could not be measured, and 7 when one is inconclusive', () => {
    expect(gradeExitCode(report(0, 0, ['holds', 'inconclusive', 'not-measured']))).toBe(6);
    expect(gradeExitCode(report(0, 0, ['holds', 'inconclusive']))).toBe(7);
  });

  it('leaves out the claims of scenarios the run did not include', () => {
    expect(gradeExitCode(report(0, 0, ['holds', ['not-measured', 'out of run'], ['fails', 'out of run']]))).toBe(0);
  });
});
