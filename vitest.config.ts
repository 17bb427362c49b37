import { defineConfig } from 'vitest/config';

// Three projects: unit (pure functions), integration (the Fastify app over a real database:
// PGlite, or PostgreSQL when GONGHUI_TEST_DB=postgres), e2e (the built pages in Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/src/**/*.unit.test.ts'],
          environment: 'node',
          // Unit tests run beside the integration forks; a busy CI machine must not time them out.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          // tests/postgres: assertions about PostgreSQL's own plans, run in the PostgreSQL run only
          // (listed, not skipped, in the PGlite run).
          include: [
            'server/src/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            ...(process.env.GONGHUI_TEST_DB === 'postgres' ? ['tests/postgres/**/*.test.ts'] : []),
          ],
          // two-processes.test.ts starts server processes on one PostgreSQL database: listed in the PostgreSQL run only.
          exclude: ['server/src/**/*.unit.test.ts', ...(process.env.GONGHUI_TEST_DB === 'postgres' ? [] : ['tests/integration/two-processes.test.ts'])],
          globalSetup: ['tests/support/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // Each file builds its own app over its own copy of the database (tests/support), so the
          // modules are loaded once per worker, not once per file: ~200 s less of each run's import time.
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          // Seeds the demo once; each file's server starts on a copy (tests/support/e2e-setup.ts).
          globalSetup: ['tests/support/e2e-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A page's answer under CI load (two e2e files, tsx servers) can take seconds; vitest's 1 s
          // default for expect.poll failed a check that a list contains a row while it was still
          // loading (its empty state showed). A poll that waits longer still fails on a wrong answer.
          expect: { poll: { timeout: 15_000 } },
          // Two files at a time: each has its own server, data folder and browser, and much of a file's
          // time is spent waiting (pages, timers), so two share the machine's two cores well.
          maxWorkers: 2,
        },
      },
    ],
  },
});
