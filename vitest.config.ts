import { defineConfig } from 'vitest/config';

// Unit tests (`*.test.ts`) are pure and fast, with fakes where they need any. Integration tests
// (`*.int.test.ts`) run against one real lab (Postgres, Redis, RabbitMQ, nginx and the built
// services) that the int project's global setup starts once and always stops.
export default defineConfig({
  test: {
    reporters: ['default', './cli/test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['cli/**/*.test.ts', 'cli/**/*.test.tsx', 'services/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'int',
          include: ['cli/**/*.int.test.ts', 'services/**/*.int.test.ts'],
          exclude: ['cli/test/docker*.int.test.ts', '**/node_modules/**'],
          globalSetup: ['cli/test/lab-setup-process.ts'],
          // The files share one lab and some break it on purpose: one file at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The same service assertions and the scenario suite on the Docker runtime, plus Docker's
        // own tests. The CLI's process-runtime tests are not repeated here.
        test: {
          name: 'int-docker',
          include: ['services/**/*.int.test.ts', 'cli/test/docker*.int.test.ts', 'cli/test/scenarios.int.test.ts'],
          exclude: ['cli/test/docker-swarm*.int.test.ts', '**/node_modules/**'],
          globalSetup: ['cli/test/lab-setup-docker.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The lab on a one-node swarm of the same Engine, after everything else (see swarm-setup.ts).
        test: {
          name: 'int-swarm',
          include: ['cli/test/docker-swarm*.int.test.ts'],
          globalSetup: ['cli/test/swarm-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 330_000,
        },
      },
    ],
  },
});
