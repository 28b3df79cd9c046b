import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Generous, once for the package: on 2 cores shared with other work (jsdom, ELK layout) a test can take many
    // times its idle time.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
})
