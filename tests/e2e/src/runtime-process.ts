// Starts the real runtime as a child process, as the README's start command does: a fresh PGlite data
// directory seeded with the demo merchant, the built editor served from STATIC_DIR on the same port, the
// dev clock on. Used by the e2e global setup and by the editor-load benchmark.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const EDITOR_DIST = join(REPO_ROOT, 'apps/editor/dist')
const RUNTIME_DIR = join(REPO_ROOT, 'apps/runtime')

export const DEMO_OWNER_EMAIL = 'owner@demo.parley.dev'
/** Passed to the seed, so tests know the owner's password. */
export const DEMO_PASSWORD = 'e2e-demo-password'

export interface RunningRuntime {
  baseUrl: string
  /** The runtime's stdout and stderr so far, for failure messages. */
  output(): string
  stop(): Promise<void>
}

/** Builds the editor when its dist is missing (turbo normally builds it first: test depends on ^build). */
export function ensureEditorBuilt(): void {
  if (existsSync(join(EDITOR_DIST, 'index.html'))) return
  execFileSync('npx', ['vite', 'build'], { cwd: join(REPO_ROOT, 'apps/editor'), stdio: 'inherit' })
}

function runtimeEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    STATIC_DIR: EDITOR_DIST,
    DEV_CLOCK: 'true',
    DEMO_PASSWORD,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  }
  // Always the embedded database in its own directory, never a developer's Postgres.
  delete env.DATABASE_URL
  return env
}

function collect(child: ChildProcess, sink: string[]) {
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => sink.push(chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => sink.push(chunk))
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

async function seed(dataDir: string): Promise<void> {
  const out: string[] = []
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/seed.ts'], {
    cwd: RUNTIME_DIR,
    env: runtimeEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  collect(child, out)
  const code = await exited(child)
  if (code !== 0) throw new Error(`Seeding the demo merchant failed (exit ${code}):\n${out.join('')}`)
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
}

/**
 * Seeds a fresh data directory and starts the runtime on a free port; resolves once /healthz answers and
 * the editor's index.html is served at /.
 * @example const runtime = await startRuntime(); await fetch(`${runtime.baseUrl}/healthz`); await runtime.stop()
 */
export async function startRuntime(): Promise<RunningRuntime> {
  ensureEditorBuilt()
  // PGlite in <tmp>/pglite: the folder around it holds the generated development secrets (.data/ in a checkout).
  const dataRoot = mkdtempSync(join(tmpdir(), 'parley-e2e-'))
  const dataDir = join(dataRoot, 'pglite')
  const out: string[] = []
  let child: ChildProcess | undefined
  const killOnExit = () => child?.kill('SIGKILL')
  process.once('exit', killOnExit)

  const stop = async () => {
    process.off('exit', killOnExit)
    if (child && child.exitCode === null && child.signalCode === null) {
      const done = exited(child)
      child.kill('SIGTERM')
      const forced = setTimeout(() => child?.kill('SIGKILL'), 10_000)
      await done
      clearTimeout(forced)
    }
    rmSync(dataRoot, { recursive: true, force: true })
  }

  try {
    await seed(dataDir)
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: RUNTIME_DIR,
      env: runtimeEnv(dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    collect(child, out)
    const running = child
    const baseUrl = await waitFor(
      'the runtime to print its URL',
      async () => {
        if (running.exitCode !== null) throw new Error(`the runtime exited (${running.exitCode})`)
        const match = /listening on (http:\/\/[\d.:]+)/.exec(out.join(''))
        return match?.[1]
      },
      60_000,
    )
    await waitFor('/healthz', async () => ((await fetch(`${baseUrl}/healthz`)).ok ? true : undefined), 30_000)
    const index = await fetch(`${baseUrl}/`)
    const html = await index.text()
    if (!index.ok || !html.includes('<div id="root"')) {
      throw new Error(`The runtime does not serve the editor from STATIC_DIR (GET / → ${index.status})`)
    }
    return { baseUrl, output: () => out.join(''), stop }
  } catch (error) {
    await stop()
    const log = out.join('')
    throw new Error(`${(error as Error).message}${log ? `\nruntime output:\n${log}` : ''}`)
  }
}
