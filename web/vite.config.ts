import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// React 19 with esbuild's own JSX transform (tsconfig "jsx": "react-jsx"), no Vite React plugin: one dependency less
// to pin and audit, and the app needs no fast refresh or Babel transforms; the viewer itself is plain DOM + TypeScript.

// The web app is built into ../.build/web (or RADBRIDGE_WEB_OUT) by ./radbridge serve and test.sh, and served by the
// archive server as static files; nothing is fetched at run time, so every codec and worker is bundled here.
export default defineConfig({
  base: '/',
  resolve: {
    // Node's "events" for xmlbuilder2, which vtk.js (under Cornerstone) pulls in; see src/viewer/shims/events.ts.
    alias: { events: fileURLToPath(new URL('./src/viewer/shims/events.ts', import.meta.url)) },
  },
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
