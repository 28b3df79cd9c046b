import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Each suite boots PGlite (WebAssembly Postgres, migrated) and, with TEST_DATABASE_URL, creates a real
    // database; on a small, busy machine with suites in parallel that can take well over vitest's defaults.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
