import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (run in parallel) and tests against a real Docker engine
// (*.docker.test.ts), run one file at a time because each brings up a real stack.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['app/**/*.test.ts', 'stack/**/*.test.ts'], exclude: ['**/*.docker.test.ts', 'app/renderer/**', '**/node_modules/**'] },
      },
      {
        test: {
          name: 'docker', include: ['app/**/*.docker.test.ts', 'stack/**/*.docker.test.ts'],
          fileParallelism: false, testTimeout: 180_000, hookTimeout: 300_000,
          globalSetup: ['app/core/testing/docker-global-setup.ts'],
        },
      },
      {
        // Browser mode in Debian's Chromium against the real engine and Docker (e2e/).
        test: {
          name: 'e2e', include: ['e2e/**/*.e2e.test.ts'],
          fileParallelism: false, testTimeout: 240_000, hookTimeout: 300_000,
          globalSetup: ['app/core/testing/docker-global-setup.ts'],
        },
      },
      {
        test: { name: 'renderer', include: ['app/renderer/**/*.test.tsx', 'app/renderer/**/*.test.ts'], environment: 'happy-dom' },
        esbuild: { jsx: 'automatic' },
      },
    ],
  },
});
