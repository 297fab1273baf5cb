/** `w2meet grade` exit codes, for CI jobs to tell the failures apart. */
export const GRADE_EXIT = { passed: 0, checksFailed: 3, claimsFailed: 4, labFailed: 5, badInput: 2 } as const;
