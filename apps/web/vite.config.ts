import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { precompress } from './vite-precompress';
import { pureSchemas } from './vite-pure-schemas';
import { wasmCodecsWithoutNodeGlobal } from './vite-wasm-codecs';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

// Same-origin with the API in development too: the dev server proxies what serve.mjs proxies.
export default defineConfig({
  plugins: [react(), pureSchemas(), wasmCodecsWithoutNodeGlobal(), precompress()],
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
      '/sfu/socket.io': {
        target: process.env.SFU_INTERNAL_URL ?? `http://127.0.0.1:${process.env.SFU_PORT ?? 4000}`,
        ws: true,
        rewrite: (p) => p.replace(/^\/sfu/, ''),
      },
    },
  },
  // The DICOM codec worker loads its WebAssembly codec with import(): module workers split code.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps double what a browser may fetch and show the source to anyone: opt in.
    sourcemap: process.env.WEB_SOURCEMAP === 'true',
    chunkSizeWarningLimit: 2000,
  },
});
