/**
 * `w2meet grade` exit codes, for CI jobs to tell the outcomes apart. Only the claims of the
 * scenarios the run included count: a grade of one scenario is not judged on the others.
 */
export const GRADE_EXIT = {
  /** Every check passed and every claim of the run holds. */
  passed: 0,
  badInput: 2,
  /** A scenario's step or check failed. */
  checksFailed: 3,
  /** A claim failed. */
  claimsFailed: 4,
  /** The lab did not start. */
  labFailed: 5,
  /** Nothing failed, but a claim could not be measured (its scenario was skipped, or its step did not run). */
  claimsNotMeasured: 6,
  /** Nothing failed and everything was measured, but a claim is inconclusive (too few samples, an interval across its bound, a precondition missing). */
  claimsInconclusive: 7,
} as const;
