// Library mode: one self-contained IIFE file, dist/widget.js, that a store loads with a single <script> tag.
import { defineConfig } from 'vite'

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2019',
    lib: {
      entry: 'src/index.ts',
      // Unused (the entry exports nothing) but required by the iife format.
      name: 'ParleyWidgetBundle',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
})
