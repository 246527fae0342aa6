import { defineConfig } from 'vitest/config';

// Projects run in groups, one group after another: unit and renderer tests (in parallel); then
// the docker files (*.docker.test.ts) that check what happens more than how fast, two at a time,
// each with a stack of its own on random ports (one such file keeps this 2-core machine at 20-45%
// CPU); then, one at a time, the docker files whose figures depend on the machine's speed (a
// knee, a rate that doubles with CPUs, runs compared within a confidence interval, an
// autoscaler's reaction, the generator's schedule, a purge racing the origin, the database's
// recovery times) or that share the Swarm; then e2e, one file at a time.
const SOLO_DOCKER = [
  'app/core/capacity/capacity.docker.test.ts',
  'app/core/runtime/vertical-scaling.docker.test.ts',
  'app/core/runs/lab-fidelity.docker.test.ts',
  'app/core/runs/figures.docker.test.ts',
  'app/core/autoscale/autoscale.docker.test.ts',
  'app/core/runtime/balancing.docker.test.ts',
  'app/core/deploy/deploy.docker.test.ts',
  'app/core/runtime/docker-runtime.docker.test.ts',
  // A purge on write races the reads in flight to the origin: "none stale" holds while the origin
  // answers in milliseconds (a CI run beside another file: origin p95 0.5 s, 36 of 91 reads stale).
  'app/core/runtime/edge.docker.test.ts',
  // The database's own timings: beside another file, a point-in-time restore took 35 s to take
  // writes again (its bound 30 s) and a shard added under writes failed once.
  'app/core/runtime/database-tier.docker.test.ts',
  'app/core/database/sharding.docker.test.ts',
  'app/core/database/ha.docker.test.ts',
  // The one Swarm: the multi-node test joins nodes to it that the other would see.
  'app/core/swarm/swarm.docker.test.ts',
  'app/core/swarm/swarm-nodes.docker.test.ts',
];
const DOCKER = ['app/**/*.docker.test.ts', 'stack/**/*.docker.test.ts'];

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
          include: DOCKER,
          exclude: [...SOLO_DOCKER, '**/node_modules/**'],
          maxWorkers: 2,
          testTimeout: 180_000,
          hookTimeout: 300_000,
          globalSetup: ['app/core/testing/docker-global-setup.ts'],
        },
      },
      {
        test: {
          name: 'docker-solo',
          sequence: { groupOrder: 2 },
          include: SOLO_DOCKER,
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
          sequence: { groupOrder: 3 },
          include: ['e2e/**/*.e2e.test.ts'],
          // One at a time: two at once took longer (the console's file, the long one, ran 1.5x slower).
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
