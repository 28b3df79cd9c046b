import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Set once here rather than per file: each suite boots PGlite (WebAssembly Postgres, a copy of the migrated
    // template) and, with TEST_DATABASE_URL, creates a real database; on 2 cores shared with other work, suites in
    // parallel can take many times their idle time. Only tests that need more (the multi-process integration
    // suites, load tests) carry their own, larger timeout.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two test files at a time, also on 2 cores (vitest's default there is one): a suite spends much of its time
    // waiting on Postgres, a child runtime or a poll, and each file has its own databases (testing.ts) and ports
    // from the OS, so two never see each other.
    maxWorkers: 2,
  },
})
