// Builds the dashboard into dashboard/dist, served by the server under /dashboard/.
// Preact's automatic JSX runtime through Vite's own transformer (oxc): no plugin needed.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
