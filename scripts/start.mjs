// `pnpm start`: the whole product on one port for a newcomer. Builds the editor and the widget, seeds the demo
// merchant into embedded PGlite (.data/pglite; idempotent), then runs the runtime with the dev clock on, serving
// the API, the editor, /widget.js and the /demo store, and prints where to go and how to sign in.
//   PORT=3001 pnpm start      another port          SKIP_BUILD=1 pnpm start      reuse the last build
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const runtimeDir = join(root, 'apps/runtime')
const { PORT, HOST, DEMO_PASSWORD, DATA_DIR, LOG_LEVEL, SKIP_BUILD } = process.env
const port = Number(PORT ?? 3000)
const host = HOST ?? '127.0.0.1'
/** Only used when the demo owner is first created (a fresh .data/pglite). */
const password = DEMO_PASSWORD ?? 'parley-demo'
const started = Date.now()

const env = {
  ...process.env,
  NODE_ENV: 'development',
  DEV_CLOCK: 'true',
  PORT: String(port),
  HOST: host,
  DATA_DIR: DATA_DIR ?? join(root, '.data/pglite'),
  STATIC_DIR: join(root, 'apps/editor/dist'),
  WIDGET_FILE: join(root, 'apps/widget/dist/widget.js'),
  DEMO_PASSWORD: password,
  LOG_LEVEL: LOG_LEVEL ?? 'warn',
}
// The demo is always the embedded database, never a developer's Postgres from the shell.
delete env.DATABASE_URL

function step(text) {
  console.log(`\u25b8 ${text}`)
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    )
  })
}

function capture(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${out}\n${command} exited with ${code}`)),
    )
  })
}

function portIsFree() {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', (error) =>
      resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? error.code : true),
    )
    probe.listen(port, host, () => probe.close(() => resolve(true)))
  })
}

async function main() {
  const free = await portIsFree()
  if (free !== true) {
    console.error(
      `\nPort ${port} on ${host} is ${free === 'EACCES' ? 'not allowed' : 'already in use'}.` +
        `\nStop whatever is using it, or pick another port:  PORT=${port + 1} npx --yes pnpm@10.34.9 start\n`,
    )
    process.exit(1)
  }

  if (SKIP_BUILD !== '1') {
    step('Building the editor and the widget')
    // Straight to Vite (each build takes seconds): turbo would need pnpm on PATH, which `npx pnpm` does not give.
    await Promise.all(
      ['apps/editor', 'apps/widget'].map((dir) =>
        run(join(root, dir, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
          cwd: join(root, dir),
        }),
      ),
    )
  }

  step(`Preparing the demo data in ${env.DATA_DIR}`)
  mkdirSync(dirname(env.DATA_DIR), { recursive: true }) // PGlite creates only the last directory
  const seedOutput = await capture(process.execPath, ['--import', 'tsx', 'src/demo/seed.ts'], {
    cwd: runtimeDir,
    env,
  })
  const createdNow = /Sign in as/.test(seedOutput)

  step('Starting the runtime')
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: runtimeDir,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let announced = false
  let buffer = ''
  server.stdout.setEncoding('utf8').on('data', (chunk) => {
    process.stdout.write(chunk)
    if (announced) return
    buffer += chunk
    const match = /listening on http:\/\/[^:\s]+:(\d+)/.exec(buffer)
    if (!match) return
    announced = true
    const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${match[1]}`
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    console.log(
      [
        '',
        `  Parley is running (ready in ${seconds} s)`,
        '',
        `  Editor:      ${url}/`,
        `  Sign in:     owner@demo.parley.dev / ${password}${createdNow ? '' : '  (the password chosen when .data/pglite was first seeded)'}`,
        `  Demo store:  ${url}/demo   (add to cart, "Abandon this cart", then +1 h: watch the chat)`,
        `  API:         ${url}/api    (OpenAPI: ${url}/openapi.json)`,
        '  Dev clock:   on (virtual time, moved by the demo panel or POST /api/dev/clock/advance)',
        `  Data:        ${env.DATA_DIR}  (delete it to start over)`,
        '',
        '  Ctrl+C stops it.',
        '',
      ].join('\n'),
    )
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
}

main().catch((error) => {
  console.error(`\nStart failed: ${error.message}`)
  process.exit(1)
})
