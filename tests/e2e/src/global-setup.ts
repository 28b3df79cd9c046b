// Vitest global setup: one runtime (seeded, serving the editor) for the whole e2e run, stopped at the end
// whether the specs pass or fail. E2E_BASE_URL points the specs at an instance that is already running (its clock
// is then its own: the specs may depend on the hour it shows).
import type { TestProject } from 'vitest/node'
import { startRuntime } from './runtime-process.ts'
import { SUITE_TIME_ZONE, suiteClockStart } from './suite-clock.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.E2E_BASE_URL
  if (external) {
    project.provide('baseUrl', external.replace(/\/$/, ''))
    return
  }
  // The suite's own time of day, not the hour it runs at (suite-clock.ts).
  const start = suiteClockStart()
  const local = new Date(start).toLocaleString('en-GB', {
    timeZone: SUITE_TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  })
  console.log(`e2e: the runtime's dev clock starts at ${start} (${local} in ${SUITE_TIME_ZONE})`)
  const runtime = await startRuntime({ env: { DEV_CLOCK_START: start } })
  project.provide('baseUrl', runtime.baseUrl)
  return async () => {
    await runtime.stop()
  }
}
