import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // PGlite boots a WebAssembly Postgres per suite and real-Postgres suites create a database each (copies of a
    // migrated template, testing.ts; the migration tests migrate their own).
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
