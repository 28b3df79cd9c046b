import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  test: {
    // Generous, once for the package: on 2 cores shared with other work (jsdom, ELK layout) a test can take many
    // times its idle time.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
})
