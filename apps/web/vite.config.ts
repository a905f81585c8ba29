import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

// Same-origin with the API in development too: the dev server proxies what serve.mjs proxies.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@caunoi/shared': fileURLToPath(new URL('../../libs/shared/src/index.ts', import.meta.url)),
    },
  },
  server: {
    port: Number(process.env.WEB_PORT ?? 8080),
    host: process.env.HOST ?? '0.0.0.0',
    proxy: {
      '/api': { target: apiUrl, changeOrigin: false },
      '/health': { target: apiUrl },
      '/socket.io': { target: apiUrl, ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2000 },
});
