// Loads ELK only when a layout is first asked for: in the browser it runs in its own Web Worker (the layout
// never blocks the canvas, and the first load of the editor does not download or parse it); where there is no
// Worker (tests in jsdom or Node) the bundled build runs in place.
import type { ElkEngine } from './layout.ts'

let engine: Promise<ElkEngine> | null = null

async function createEngine(): Promise<ElkEngine> {
  if (typeof Worker === 'undefined') {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js')
    return new ELK()
  }
  const [{ default: ELK }, { default: workerUrl }] = await Promise.all([
    import('elkjs/lib/elk-api.js'),
    import('elkjs/lib/elk-worker.min.js?url'),
  ])
  return new ELK({ workerUrl })
}

/** The page's one ELK engine, created on first use. */
export function loadElk(): Promise<ElkEngine> {
  engine ??= createEngine().catch((error) => {
    engine = null
    throw error
  })
  return engine
}
