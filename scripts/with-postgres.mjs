#!/usr/bin/env node
// Runs a command with TEST_DATABASE_URL pointing at a throwaway Postgres cluster, so the real-Postgres suites
// run locally and in CI without any set-up. Plain Node, no dependencies.
//
//   node scripts/with-postgres.mjs <command...>
//
// TEST_DATABASE_URL already set → the command runs against it unchanged. Otherwise a cluster is created in a temp
// dir (trust auth on 127.0.0.1 only, fsync off), started on a free loopback port, and removed afterwards.
// No Postgres binaries: a notice, then the command runs without TEST_DATABASE_URL (under CI=true: exit 1).

import { spawn, spawnSync } from 'node:child_process'
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'

const command = process.argv.slice(2)
if (command.length === 0) {
  console.error('usage: node scripts/with-postgres.mjs <command...>')
  process.exit(2)
}
const isCI = process.env.CI === 'true' || process.env.CI === '1'

/** Runs the command with the given extra environment; resolves with its exit code. */
function runCommand(extraEnv) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, ...extraEnv },
      shell: process.platform === 'win32',
    })
    const forward = (signal) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    child.on('error', (error) => {
      console.error(`with-postgres: cannot run ${command[0]}: ${error.message}`)
      resolve(127)
    })
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1))
    })
  })
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The directory holding initdb, postgres and pg_ctl: PATH first, then /usr/lib/postgresql/<newest>/bin. */
function findPostgresBin() {
  const wanted = ['initdb', 'postgres', 'pg_ctl']
  const candidates = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => join(root, v, 'bin')))
  }
  return candidates.find((dir) => wanted.every((name) => isExecutable(join(dir, name))))
}

function findPgbench(binDir) {
  // Prefer the pgbench of the same installation (PATH may only hold symlinks to the server binaries).
  for (const dir of [binDir, dirname(realpathSync(join(binDir, 'postgres')))]) {
    if (isExecutable(join(dir, 'pgbench'))) return join(dir, 'pgbench')
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (isExecutable(join(dir, 'pgbench'))) return join(dir, 'pgbench')
  }
  return undefined
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** True once something accepts TCP connections and answers a Postgres SSLRequest on the port. */
function probe(port) {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.on('error', () => done(false))
    socket.on('data', () => done(true))
    socket.connect(port, '127.0.0.1', () => {
      // SSLRequest: length 8, code 80877103. A ready server answers 'N' or 'S'.
      const packet = Buffer.alloc(8)
      packet.writeInt32BE(8, 0)
      packet.writeInt32BE(80877103, 4)
      socket.write(packet)
    })
  })
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0

/** Runs a Postgres binary, as the `postgres` OS user when we are root (the server refuses to run as root). */
function runPg(binary, args, options = {}) {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args]
  return spawnSync(file, argv, { encoding: 'utf8', ...options })
}

async function main() {
  if (process.env.TEST_DATABASE_URL) return runCommand({})

  const binDir = findPostgresBin()
  if (!binDir) {
    const message =
      'with-postgres: no Postgres binaries found (initdb, postgres, pg_ctl on PATH or in /usr/lib/postgresql/*/bin).'
    if (isCI) {
      console.error(`${message}\nCI=true: the real-Postgres suites must run, so this is an error.`)
      return 1
    }
    console.warn(`${message}\nRunning without TEST_DATABASE_URL: the real-Postgres suites will be skipped.`)
    return runCommand({})
  }

  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'))
  const dataDir = join(dir, 'data')
  const port = await freePort()
  if (asRoot) {
    const chown = spawnSync('chown', ['-R', 'postgres:', dir], { encoding: 'utf8' })
    if (chown.status !== 0) {
      console.error(
        `with-postgres: running as root and cannot chown ${dir} to the postgres user: ${chown.stderr}`,
      )
      rmSync(dir, { recursive: true, force: true })
      return 1
    }
  }
  chmodSync(dir, 0o700)

  let started = false
  const cleanup = () => {
    if (started) {
      runPg(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' })
      started = false
    }
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    const init = runPg(join(binDir, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ])
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`)

    const options = [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
      '-c shared_buffers=128MB',
    ].join(' ')
    // pg_hba from initdb --auth=trust trusts local and 127.0.0.1/::1; listen_addresses keeps it loopback-only.
    const start = runPg(
      join(binDir, 'pg_ctl'),
      ['-D', dataDir, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    started = true
    if (start.status !== 0) throw new Error(`pg_ctl start failed:\n${start.stdout}${start.stderr}`)

    const deadline = Date.now() + 30_000
    while (!(await probe(port))) {
      if (Date.now() > deadline)
        throw new Error(`Postgres did not accept connections on port ${port} in 30 s`)
      await new Promise((r) => setTimeout(r, 100))
    }
  } catch (error) {
    console.error(`with-postgres: ${error.message}`)
    cleanup()
    return 1
  }

  // Stop the cluster even when interrupted; the child gets the signal too and we exit with its code.
  const onSignal = () => {}
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('exit', cleanup)
  const env = { TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres` }
  const pgbench = findPgbench(binDir)
  if (pgbench) env.PGBENCH_PATH = pgbench
  console.log(`with-postgres: throwaway Postgres on 127.0.0.1:${port} (${binDir})`)
  const code = await runCommand(env)
  cleanup()
  return code
}

process.exitCode = await main()
