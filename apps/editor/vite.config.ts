// Vite config: the editor is a static SPA; in development /api, /webhooks and /healthz go to the runtime.
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const runtime = process.env.PARLEY_RUNTIME_URL ?? 'http://127.0.0.1:3000'

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: runtime, changeOrigin: true, ws: true },
      '/webhooks': { target: runtime, changeOrigin: true },
      '/healthz': { target: runtime, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // React and React Flow change less often than the editor: their own chunk stays cached across releases.
        codeSplitting: {
          groups: [
            {
              name: 'vendor',
              // Only the d3 modules React Flow pans and zooms with: the charts' d3 (scale, shape, time...) stays
              // with recharts in the Analytics chunk, loaded on first visit.
              test: /node_modules[\\/](react|react-dom|scheduler|@xyflow|d3-(zoom|drag|selection|transition|interpolate|timer|dispatch|ease|color)|zustand|classcat)[\\/]/,
            },
          ],
        },
      },
    },
  },
})
