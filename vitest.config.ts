import { defineConfig } from 'vitest/config';

// Projects run in groups, one group after another, so timing-sensitive tests never share the
// machine with a stack being built: unit and renderer tests (in parallel), then the tests against
// a real Docker engine (*.docker.test.ts, one file at a time: each brings up a real stack), then e2e.
export default defineConfig({
  test: {
    projects: [
      {
        // 20 s a test: a few run real load for seconds (worker threads booting included) while the
        // report tests print PDFs in Chromium beside them, on two cores; 5 s was too tight in CI.
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['app/**/*.test.ts', 'stack/**/*.test.ts'],
          exclude: ['**/*.docker.test.ts', 'app/renderer/**', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'docker',
          sequence: { groupOrder: 1 },
          include: ['app/**/*.docker.test.ts', 'stack/**/*.docker.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
          globalSetup: ['app/core/testing/docker-global-setup.ts'],
        },
      },
      {
        // Browser mode in Debian's Chromium against the real engine and Docker (e2e/).
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 300_000,
          globalSetup: ['app/core/testing/docker-global-setup.ts'],
        },
      },
      {
        test: {
          name: 'renderer',
          sequence: { groupOrder: 0 },
          include: ['app/renderer/**/*.test.tsx', 'app/renderer/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
