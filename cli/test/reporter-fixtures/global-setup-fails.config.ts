import { defineConfig } from 'vitest/config';

// A run whose global set-up (what starts a lab for every file) throws before any file runs.
export default defineConfig({
  test: {
    name: 'fixtures',
    root: import.meta.dirname,
    include: ['passes.fixture.ts'],
    globalSetup: ['./global-setup-fails.ts'],
    reporters: ['../summary-reporter.ts'],
  },
});
