// How big property suites (fast-check) are, from the environment, and the timeout that goes with that size.
// PROPERTY_RUNS sets the cases per property; unset, 1,000 in CI (CI=true; .ci/run sets PROPERTY_RUNS=1000 too) and
// 200 for a quick local run. The timeout grows with the cases: at 300 ms a case it is ~10× what a case takes on a
// 2-core machine loaded by other work (≈ 30 ms measured at load 15), so a slow machine is never a failure; a
// property that really hangs still fails.

function fromEnvironment(): number {
  const raw = process.env.PROPERTY_RUNS
  if (raw === undefined || raw === '') return process.env.CI && process.env.CI !== 'false' ? 1000 : 200
  const runs = Number(raw)
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`PROPERTY_RUNS must be a positive integer, not "${raw}"`)
  return runs
}

/** Cases per property (fast-check `numRuns`). */
export const PROPERTY_RUNS = fromEnvironment()

/** The timeout (ms) for one property test of PROPERTY_RUNS cases: at least 2 minutes. */
export const PROPERTY_TIMEOUT_MS = Math.max(120_000, PROPERTY_RUNS * 300)
