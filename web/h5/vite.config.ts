import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

// Worker H5: served by the API server under /h5/. Kept small: phones on mobile networks.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/h5/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/h5', import.meta.url)),
    emptyOutDir: true,
  },
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` } },
});
