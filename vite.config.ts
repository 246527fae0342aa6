import path from 'node:path';
import { defineConfig } from 'vite';

// The renderer, built to dist/renderer and served by the bridge (browser mode) or loaded by Electron.
export default defineConfig(({ command }) => ({
  root: path.resolve(import.meta.dirname, 'app/renderer'),
  base: './',
  // A build is React's production build whatever NODE_ENV the building process has: built from a
  // test run (vitest sets NODE_ENV=test), it was React's development build, 1.48 MB instead of
  // 1.21, and the console's frames went from 1.4% to 25% late (bench:console) for whoever ran it
  // after the tests.
  ...(command === 'build' ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // Radix and cmdk mark their modules "use client" (for React Server Components): meaningless
      // in a client bundle, and one warning per file in every build log.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
}));
