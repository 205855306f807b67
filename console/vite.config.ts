/**
 * The staff console's build: one entry, each page its own chunk (Ant Design's heavier widgets and
 * ECharts load with the pages that use them). `npm start` builds it when missing or stale
 * (local/console-build.ts); the CDK app deploys `console/dist` to S3.
 */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The console shares the domain's pure modules with the API; one that reaches for Node (node:crypto…)
 * must not slip into the browser bundle, where it would fail at run time. The build fails instead.
 */
function browserOnly(): Plugin {
  return {
    name: 'browser-only',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith('node:')) throw new Error(`${importer ?? '?'} imports ${source}: not in the browser`);
      return null;
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [browserOnly(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Reported by `npm run bench:console` against its 350 KB gzipped budget, not here.
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: { port: 5177, strictPort: true },
});
