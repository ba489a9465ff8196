import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Built into dist/console and served by each Nest app at /console (see libs/tools/src/console).
// A relative base keeps the bundle working behind a proxy that mounts a server under a prefix.
export default defineConfig({
  root,
  base: './',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // Every browser that runs the console supports modulepreload.
    modulePreload: { polyfill: false },
  },
});
