import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (run in parallel) and tests against a real Docker engine
// (*.docker.test.ts), run one file at a time because each brings up a real stack.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['app/**/*.test.ts', 'stack/**/*.test.ts'], exclude: ['**/*.docker.test.ts', '**/node_modules/**'] },
      },
      {
        test: {
          name: 'docker', include: ['app/**/*.docker.test.ts', 'stack/**/*.docker.test.ts'],
          fileParallelism: false, testTimeout: 180_000, hookTimeout: 300_000,
          globalSetup: ['app/core/testing/docker-global-setup.ts'],
        },
      },
    ],
  },
});
