import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The client lives in client/ and is built into dist/client, which the server serves.
// `vite dev` proxies the API and both live channels to a server on :3000.
export default defineConfig({
  root: 'client',
  plugins: [svelte()],
  // The board page's chunk carries Tiptap/ProseMirror and Yjs (~600 kB raw, ~250 kB
  // gzip for the whole participant page, measured in bench/); other pages load lazily.
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // Production serves no source maps: they would publish the whole client source.
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    // `npm start` prints one line once listening: no bundler timing report before it.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/yjs': { target: 'ws://localhost:3000', ws: true },
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
