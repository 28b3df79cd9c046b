// Vitest global setup: one runtime (seeded, serving the editor) for the whole e2e run, stopped at the end
// whether the specs pass or fail. E2E_BASE_URL points the specs at an instance that is already running.
import type { TestProject } from 'vitest/node'
import { startRuntime } from './runtime-process.ts'

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
  const runtime = await startRuntime()
  project.provide('baseUrl', runtime.baseUrl)
  return async () => {
    await runtime.stop()
  }
}
