// Editor load, two builds back to back: one runtime serves the editor from a symlink that is pointed at build A,
// then B, then A..., one load at a time, each build in its own browser context (its own cache), so both see the
// same machine load. With EDITOR_PROFILE=<file> it instead records one Chromium CPU profile of a load of the
// first build (open it in Chrome DevTools' Performance panel) and prints where the main thread's time went
// (EDITOR_SCREENSHOT=<png> also saves what the canvas shows after that first pan).
//   EDITOR_BUILDS=/tmp/dist-a,/tmp/dist-b [EDITOR_SIZE=1000] [EDITOR_RUNS=7] node --import tsx editor-load-ab.ts
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { launchChromium } from '@parley/e2e/browser'
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD, startRuntime } from '@parley/e2e/runtime-process'
import type { CDPSession } from 'playwright-core'
import { measureLoad, median, saveFlow } from './editor-load-kit.ts'

const builds = (process.env.EDITOR_BUILDS ?? '')
  .split(',')
  .filter(Boolean)
  .map((b) => resolve(b))
if (builds.length === 0) throw new Error('EDITOR_BUILDS: one or more built editor folders, comma-separated')
const size = Number(process.env.EDITOR_SIZE ?? 1000)
const runs = Number(process.env.EDITOR_RUNS ?? 7)
const profileFile = process.env.EDITOR_PROFILE

const linkDir = mkdtempSync(join(tmpdir(), 'parley-editor-ab-'))
const current = join(linkDir, 'dist')
const serve = (build: string) => {
  rmSync(current, { force: true })
  symlinkSync(build, current)
}
serve(builds[0]!)

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Self time per function and per script, from a CPU profile's samples. */
function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  const byUrl = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const { functionName, url, lineNumber } = node.callFrame
    const file = url.split('/').pop() || '(native)'
    const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + ms)
    byUrl.set(file, (byUrl.get(file) ?? 0) + ms)
  })
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`)
  return { functions: top(self, 40), scripts: top(byUrl, 15) }
}

const runtime = await startRuntime({ env: { STATIC_DIR: current } })
const browser = await launchChromium()
try {
  const contexts = await Promise.all(
    builds.map(() => browser.newContext({ viewport: { width: 1440, height: 900 } })),
  )
  let flowId = ''
  for (const context of contexts) {
    const signIn = await context.request.post(`${runtime.baseUrl}/api/auth/sign-in`, {
      data: { email: DEMO_OWNER_EMAIL, password: DEMO_PASSWORD },
    })
    if (!signIn.ok()) throw new Error(`sign in: ${signIn.status()} ${await signIn.text()}`)
    if (!flowId) {
      const { csrfToken } = (await signIn.json()) as { csrfToken: string }
      flowId = (await saveFlow(context, runtime.baseUrl, csrfToken, size)).id
    }
  }
  const url = `${runtime.baseUrl}/#/flows/${flowId}`
  // One warm-up load per build: scripts cached, as for a merchant opening a second flow.
  for (const [i, build] of builds.entries()) {
    serve(build)
    await measureLoad(contexts[i]!, url)
  }

  if (profileFile) {
    serve(builds[0]!)
    let cdp: CDPSession | undefined
    const result = await measureLoad(contexts[0]!, url, {
      async before(page) {
        cdp = await page.context().newCDPSession(page)
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
        await cdp.send('Profiler.start')
        // Long tasks and the network waterfall, for a timeline of where the load went.
        await page.addInitScript(() => {
          const w = window as unknown as { longTasks: { start: number; ms: number }[] }
          w.longTasks = []
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, ms: e.duration })
          }).observe({ type: 'longtask', buffered: true })
        })
      },
      async after(page) {
        if (process.env.EDITOR_SCREENSHOT) {
          await page.waitForTimeout(500)
          await page.screenshot({ path: process.env.EDITOR_SCREENSHOT })
        }
        const timeline = await page.evaluate(() => ({
          requests: performance
            .getEntriesByType('resource')
            .map(
              (e) =>
                `${e.startTime.toFixed(0).padStart(6)} → ${(e as PerformanceResourceTiming).responseEnd.toFixed(0).padStart(6)}  ${e.name.replace(location.origin, '')}`,
            ),
          longTasks: (window as unknown as { longTasks: { start: number; ms: number }[] }).longTasks.map(
            (t) => `${t.start.toFixed(0).padStart(6)} +${t.ms.toFixed(0)}`,
          ),
          paints: performance.getEntriesByType('paint').map((e) => `${e.name} ${e.startTime.toFixed(0)}`),
          now: performance.now().toFixed(0),
        }))
        console.log(`requests (ms from navigation):\n${timeline.requests.join('\n')}`)
        console.log(`long tasks: ${timeline.longTasks.join(', ')}`)
        console.log(`${timeline.paints.join(', ')}; interactive seen at ${timeline.now}\n`)
        const { profile } = (await cdp!.send('Profiler.stop')) as { profile: Profile }
        writeFileSync(profileFile, JSON.stringify(profile))
        const { functions, scripts } = summarise(profile)
        console.log(`self time by script:\n${scripts.join('\n')}`)
        console.log(`\nself time by function:\n${functions.join('\n')}`)
      },
    })
    console.log(
      `\nprofiled load: first node ${result.firstNode.toFixed(0)} ms, interactive ${result.interactive.toFixed(0)} ms, ${result.drags} drag(s)`,
    )
  } else {
    const times: number[][] = builds.map(() => [])
    const drags: number[][] = builds.map(() => [])
    // The page's main-thread busy time (CDP Performance.getMetrics TaskDuration): until the first node shows,
    // and from then until the pan answered. CPU time, so far less sensitive to the machine's load than wall time.
    const busyToNode: number[][] = builds.map(() => [])
    const busyToPan: number[][] = builds.map(() => [])
    const loads: number[] = []
    for (let r = 0; r < runs; r++) {
      for (const [i, build] of builds.entries()) {
        serve(build)
        let cdp: CDPSession | undefined
        const taskMs = async () => {
          const { metrics } = (await cdp!.send('Performance.getMetrics')) as {
            metrics: { name: string; value: number }[]
          }
          return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000
        }
        let atNode = 0
        const load = await measureLoad(contexts[i]!, url, {
          async before(page) {
            cdp = await page.context().newCDPSession(page)
            await cdp.send('Performance.enable')
          },
          async drawn() {
            atNode = await taskMs()
          },
          async after() {
            busyToNode[i]!.push(atNode)
            busyToPan[i]!.push((await taskMs()) - atNode)
          },
        })
        times[i]!.push(load.interactive)
        drags[i]!.push(load.drags)
      }
      loads.push(loadavg()[0]!)
    }
    console.log(
      `${size} nodes, interactive (first pan), ${runs} alternating loads per build, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
    )
    for (const [i, build] of builds.entries()) {
      const t = times[i]!
      console.log(
        `${build}: median ${median(t).toFixed(0)} ms  [${t.map((v) => v.toFixed(0)).join(', ')}]  drags [${drags[i]!.join(', ')}]`,
      )
      console.log(
        `  main thread busy, median: ${median(busyToNode[i]!).toFixed(0)} ms until the first node, ${median(busyToPan[i]!).toFixed(0)} ms from it to the pan  [${busyToPan[i]!.map((v) => v.toFixed(0)).join(', ')}]`,
      )
    }
  }
} finally {
  await browser.close()
  await runtime.stop()
  rmSync(linkDir, { recursive: true, force: true })
}
