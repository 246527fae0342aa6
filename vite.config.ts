import path from 'node:path';
import { defineConfig } from 'vite';

// The renderer, built to dist/renderer and served by the bridge (browser mode) or loaded by Electron.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'app/renderer'),
  base: './',
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
});
