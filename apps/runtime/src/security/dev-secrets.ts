// Development secrets: generated once per data folder and kept there (mode 0600), so a developer never needs to
// set SECRET or ENCRYPTION_KEY, restarts keep sessions, visitor tokens and sealed channel secrets valid, and no
// secret that works anywhere else is ever written in the source.
import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The content of `<folder>/<name>`, created with `generate()` first if missing. Two processes starting at once
 * (seed and server) agree: the file is linked into place exclusively, and the loser reads the winner's value.
 */
export function readOrCreateSecretFile(folder: string, name: string, generate: () => string): string {
  const file = join(folder, name)
  const existing = readIfPresent(file)
  if (existing !== undefined) return existing
  mkdirSync(folder, { recursive: true })
  // Written whole under a temporary name, then linked into place: a reader never sees a half-written file.
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
  writeFileSync(temporary, `${generate()}\n`, { mode: 0o600, flag: 'wx' })
  try {
    linkSync(temporary, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    unlinkSync(temporary)
  }
  const created = readIfPresent(file)
  if (created === undefined) throw new Error(`${file} is empty`)
  return created
}

function readIfPresent(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim()
    return text === '' ? undefined : text
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
