import { describe, expect, it } from 'vitest'
import { generateEncryptionKey, isSealed, Keyring, parseEncryptionKeys } from './keyring.ts'

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64')

describe('Keyring (AES-256-GCM)', () => {
  it('seals to an opaque value that names its key and opens only in the same context', () => {
    const ring = new Keyring(parseEncryptionKeys(`k1:${key(1)}`))
    const sealed = ring.seal('EAAG-whatsapp-token-1234', 'channel:a:accessToken')
    expect(isSealed(sealed)).toBe(true)
    expect(sealed).toMatch(/^enc:v1:k1:/)
    expect(sealed).not.toContain('whatsapp')
    expect(ring.keyIdOf(sealed)).toBe('k1')
    expect(ring.open(sealed, 'channel:a:accessToken')).toBe('EAAG-whatsapp-token-1234')
    // Moved to another channel or field, it does not open.
    expect(() => ring.open(sealed, 'channel:b:accessToken')).toThrow()
    // A fresh IV each time: sealing twice gives two values.
    expect(ring.seal('x', 'c')).not.toBe(ring.seal('x', 'c'))
  })

  it('refuses altered values and values sealed with a key it does not have', () => {
    const ring = new Keyring(parseEncryptionKeys(`k1:${key(1)}`))
    const sealed = ring.seal('secret', 'c')
    // One bit flipped in the ciphertext, and one in the tag. (Rewriting the text's last characters instead let
    // about one run in 256 pass: base64url's last character carries bits the decoder drops.)
    const cut = sealed.lastIndexOf(':') + 1
    for (const at of [0, -1]) {
      const body = Buffer.from(sealed.slice(cut), 'base64url')
      const i = at < 0 ? body.length + at : at
      body[i] = (body[i] ?? 0) ^ 1
      expect(() => ring.open(sealed.slice(0, cut) + body.toString('base64url'), 'c')).toThrow()
    }
    const other = new Keyring(parseEncryptionKeys(`k9:${key(9)}`))
    expect(() => other.open(sealed, 'c')).toThrow(/sealed with key "k1", which is not configured/)
    expect(() => ring.open('plain text', 'c')).toThrow(/Not a sealed value/)
  })

  it('rotates: the first key seals, every listed key opens', () => {
    const before = new Keyring(parseEncryptionKeys(`k1:${key(1)}`))
    const after = new Keyring(parseEncryptionKeys(`k2:${key(2)},k1:${key(1)}`))
    const old = before.seal('token', 'c')
    expect(after.open(old, 'c')).toBe('token')
    expect(after.keyIdOf(after.seal('token', 'c'))).toBe('k2')
  })

  it('parses bare keys with a derived id, and generates keys it can parse', () => {
    const [bare] = parseEncryptionKeys(key(3))
    expect(bare?.id).toMatch(/^[0-9a-f]{8}$/)
    expect(parseEncryptionKeys(key(3))[0]?.id).toBe(bare?.id)
    const generated = generateEncryptionKey('dev')
    expect(parseEncryptionKeys(generated)[0]?.id).toBe('dev')
    expect(() => parseEncryptionKeys('')).toThrow(/no key/)
    expect(() => parseEncryptionKeys(`bad id!:${key(1)}`)).toThrow(/may use only/)
  })
})
