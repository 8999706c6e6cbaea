import { defineConfig } from 'vite';

// The web app is built into ../.build/web (or RADBRIDGE_WEB_OUT) by ./radbridge serve and test.sh, and served by the
// archive server as static files; nothing is fetched at run time, so every codec and worker is bundled here.
export default defineConfig({
  base: '/',
  build: {
    outDir: process.env.RADBRIDGE_WEB_OUT ?? '../.build/web',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
  },
  worker: { format: 'es' },
  // Cornerstone's dicom-image-loader ships its codecs as WebAssembly loaded from web workers: pre-bundling them in
  // dev breaks their relative wasm URLs.
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: ['dicom-parser'],
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8042',
      '/dicomweb': 'http://127.0.0.1:8042',
      '/connect': 'http://127.0.0.1:8042',
      '/account': 'http://127.0.0.1:8042',
      '/hubs': { target: 'http://127.0.0.1:8042', ws: true },
    },
  },
});
