// Encryption at rest for the few values that must be readable again (channel secrets): AES-256-GCM under keys
// from the environment. Each sealed value names the key that sealed it, so keys rotate: the first key seals,
// every key listed still opens, and rotate-key.ts re-seals everything under the first one.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

const PREFIX = 'enc:v1:'
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/

export interface EncryptionKey {
  id: string
  key: Buffer
}

/** A sealed value: `enc:v1:<key id>:<iv>:<ciphertext + tag>` (base64url parts). */
export function isSealed(value: unknown): value is `enc:v1:${string}` {
  return typeof value === 'string' && value.startsWith(PREFIX)
}

/**
 * Parses `ENCRYPTION_KEYS` (or a single `ENCRYPTION_KEY`): comma-separated `id:base64key` entries, newest
 * first; a bare `base64key` gets an id derived from the key itself. Each key is 32 random bytes
 * (`openssl rand -base64 32`). Throws a message naming what is wrong.
 * @example parseEncryptionKeys('k2:9m…=,k1:Qx…=')  // k2 seals, both open
 */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  if (entries.length === 0) throw new Error('no key given')
  const keys = entries.map((entry) => {
    const colon = entry.indexOf(':')
    const encoded = colon === -1 ? entry : entry.slice(colon + 1)
    const key = Buffer.from(encoded, 'base64')
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
      throw new Error('each key must be 32 bytes in base64 (openssl rand -base64 32)')
    }
    const id = colon === -1 ? fingerprint(key) : entry.slice(0, colon)
    if (!KEY_ID.test(id)) throw new Error(`the key id "${id}" may use only letters, digits, _ and -`)
    return { id, key }
  })
  const ids = new Set(keys.map((k) => k.id))
  if (ids.size !== keys.length) throw new Error('two keys share an id')
  return keys
}

/** A short id for a key given without one: stable, and says nothing usable about the key. */
function fingerprint(key: Buffer): string {
  return createHash('sha256').update('parley-key-id').update(key).digest('hex').slice(0, 8)
}

/** A fresh key in the `id:base64` form parseEncryptionKeys reads. */
export function generateEncryptionKey(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`
}

export class Keyring {
  readonly #keys: ReadonlyMap<string, Buffer>
  /** The id of the key that seals new values. */
  readonly currentKeyId: string
  readonly #current: Buffer

  constructor(keys: EncryptionKey[]) {
    const first = keys[0]
    if (!first) throw new Error('A keyring needs at least one key')
    this.#keys = new Map(keys.map((k) => [k.id, k.key]))
    this.currentKeyId = first.id
    this.#current = first.key
  }

  /**
   * Seals `plaintext` under the current key. `context` (e.g. `channel:<id>:accessToken`) is authenticated but
   * not stored: a sealed value copied to another row or field does not open there.
   */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#current, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return `${PREFIX}${this.currentKeyId}:${iv.toString('base64url')}:${body.toString('base64url')}`
  }

  /** Opens a value sealed by any key of this ring; throws when the key is unknown or the value was altered. */
  open(sealed: string, context: string): string {
    const parts = sealed.startsWith(PREFIX) ? sealed.slice(PREFIX.length).split(':') : []
    const [keyId, ivText, bodyText] = parts
    if (parts.length !== 3 || !keyId || !ivText || !bodyText) throw new Error('Not a sealed value')
    const key = this.#keys.get(keyId)
    if (!key) throw new Error(`The value was sealed with key "${keyId}", which is not configured`)
    const iv = Buffer.from(ivText, 'base64url')
    const body = Buffer.from(bodyText, 'base64url')
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new Error('Not a sealed value')
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES))
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8')
  }

  /** The key id a sealed value names (undefined for anything else). */
  keyIdOf(value: string): string | undefined {
    return isSealed(value) ? value.slice(PREFIX.length).split(':')[0] : undefined
  }
}
