import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Generous, once for the package: on 2 cores shared with other work a test can take many times its idle time.
    // Property suites size themselves by PROPERTY_RUNS and set a timeout to match (src/test-support/property-runs.ts).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
