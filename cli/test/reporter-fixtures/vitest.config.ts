import { defineConfig } from 'vitest/config';

// A run of these fixtures is what summary-reporter.test.ts reads: files that pass, skip, and fail
// in their set-up or tear-down, so the closing line's counts can be checked against what happened.
export default defineConfig({
  test: {
    name: 'fixtures',
    root: import.meta.dirname,
    include: ['*.fixture.ts'],
    reporters: ['../summary-reporter.ts'],
  },
});
