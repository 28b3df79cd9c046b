// The real runtime as a child process (`node --import tsx src/server.ts`), for tests that kill it: start it
// on a database, SIGKILL it (no shutdown hook runs, open transactions are cut off), start it again.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'

const RUNTIME_DIR = fileURLToPath(new URL('../../', import.meta.url))
const OUTPUT_LIMIT = 64_000
/** One pair per test process, so a restarted runtime still opens what the killed one sealed and signed. */
const SECRETS = {
  SECRET: randomBytes(32).toString('base64url'),
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
}

export interface RuntimeChild {
  baseUrl: string
  pid: number
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>
  /** The tail of its stdout and stderr, for failure messages. */
  output(): string
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * Starts the runtime with `env` on top of this process's environment (PORT=0: a free port each start) and
 * resolves once it prints its URL.
 * @example const runtime = await startRuntimeChild({ DATABASE_URL: url, DEV_CLOCK: 'true' }); await runtime.kill()
 */
export async function startRuntimeChild(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RuntimeChild> {
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: RUNTIME_DIR,
    env: { ...process.env, NODE_ENV: 'development', ...SECRETS, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const append = (chunk: string) => {
    output = (output + chunk).slice(-OUTPUT_LIMIT)
  }
  child.stdout.setEncoding('utf8').on('data', append)
  child.stderr.setEncoding('utf8').on('data', append)
  // Never leave a runtime behind when the test process ends early.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const kill = async () => {
    process.off('exit', killOnExit)
    child.kill('SIGKILL')
    await exited(child)
  }

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      clearInterval(poll)
      clearTimeout(timeout)
      kill().then(() => reject(new Error(`The runtime ${why}:\n${output}`)))
    }
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output)
      if (match?.[1]) {
        clearInterval(poll)
        clearTimeout(timeout)
        resolve(match[1])
      } else if (child.exitCode !== null) fail(`exited (${child.exitCode}) before listening`)
    }, 20)
    const timeout = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs)
  })
  return { baseUrl, pid: child.pid ?? -1, kill, output: () => output }
}
