import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // PGlite boots a WebAssembly Postgres per suite and real-Postgres suites create a database each.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
