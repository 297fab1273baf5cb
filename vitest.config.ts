import { defineConfig } from 'vitest/config';

/** Integration files that start labs of their own, or none, and so run beside the shared lab's. */
const OWN_LABS = ['cli/test/cli.int.test.ts', 'cli/test/cli-failures.int.test.ts', 'cli/test/foreign-grade.int.test.ts'];

// Unit tests (`*.test.ts`) are pure and fast, with fakes where they need any. Integration tests
// (`*.int.test.ts`) run against real labs (Postgres, Redis, RabbitMQ, nginx and the built
// services) that each project's global setup starts once and always stops. Which projects run
// when, and on which Engine, is cli/test/suites/run-suites.ts's job (`npm test`, `npm run test:all`).
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
        // The process runtime's lab, shared by the files that read and break it: one file at a time.
        test: {
          name: 'int',
          include: ['cli/**/*.int.test.ts', 'services/**/*.int.test.ts'],
          exclude: ['cli/test/docker*.int.test.ts', ...OWN_LABS, '**/node_modules/**'],
          globalSetup: ['cli/test/lab-setup-process.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Files that bring up labs of their own (or none): beside `int`, in a second vitest run.
        test: {
          name: 'int-cli',
          include: OWN_LABS,
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
        // The lab on a one-node swarm, on an Engine of the run's own in a network namespace (see
        // cli/test/suites/swarm-namespace.ts): `npm run test:all` runs it there, and only there.
        test: {
          name: 'int-swarm',
          include: ['cli/test/docker-swarm.int.test.ts', 'cli/test/docker-swarm-stack.int.test.ts'],
          globalSetup: ['cli/test/swarm-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 330_000,
        },
      },
      {
        // A swarm whose manager is another machine: an Engine in a network namespace the file starts.
        test: {
          name: 'int-remote',
          include: ['cli/test/docker-swarm-remote.int.test.ts'],
          globalSetup: ['cli/test/lab-setup-engine.ts'],
          testTimeout: 90_000,
          hookTimeout: 330_000,
        },
      },
    ],
  },
});
