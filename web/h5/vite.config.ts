import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

// Worker H5: served by the API server under /h5/. Kept small: phones on mobile networks.
// Vant's icon font lists a CDN copy after the embedded one; the H5 must load nothing from other
// hosts (CSP, intranets), so the CDN fallbacks are removed from the CSS.
const noExternalFonts: Plugin = {
  name: 'gonghui-no-external-fonts',
  enforce: 'pre',
  transform(code, id) {
    if (!id.includes('vant') || !id.endsWith('.css')) return null;
    return code.replace(/,\s*url\((?:https?:)?\/\/[^)]+\)\s*format\([^)]*\)/g, '');
  },
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/h5/',
  plugins: [noExternalFonts, vue()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/h5', import.meta.url)),
    emptyOutDir: true,
    // tests/integration/h5-bundle-size.test.ts reads it to size the join page's first load.
    manifest: true,
  },
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` } },
});
