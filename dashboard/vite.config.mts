// Builds the dashboard into dashboard/dist, served by the server under /dashboard/.
// Preact's automatic JSX runtime through Vite's own transformer (oxc): no plugin needed.
// `npx vite dashboard` serves it with hot reload, proxying the API to a running server
// (FQL_SERVER, default http://localhost:8443).
import { defineConfig } from 'vite';

const target = process.env.FQL_SERVER ?? 'http://localhost:8443';

export default defineConfig({
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { proxy: { '/query/1': target, '/schema/1': target, '/metrics': target } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
