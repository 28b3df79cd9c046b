import { describe, expect, it } from 'vitest'
import {
  digestToken,
  signShopifyBody,
  signToken,
  signWhatsAppBody,
  verifyShopifySignature,
  verifySignedToken,
  verifyTelegramSecret,
  verifyWhatsAppSignature,
} from './signatures.ts'

const body = '{"object":"whatsapp_business_account","entry":[]}'

describe('webhook signatures', () => {
  it('accepts a WhatsApp body signed with the app secret, and nothing else', () => {
    const header = signWhatsAppBody(body, 'app-secret')
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(verifyWhatsAppSignature(body, header, 'app-secret')).toBe(true)
    expect(verifyWhatsAppSignature(`${body} `, header, 'app-secret')).toBe(false)
    expect(verifyWhatsAppSignature(body, header, 'other-secret')).toBe(false)
    expect(verifyWhatsAppSignature(body, undefined, 'app-secret')).toBe(false)
    expect(verifyWhatsAppSignature(body, header.replace('sha256=', ''), 'app-secret')).toBe(false)
  })

  it('accepts a Shopify body with its base64 HMAC', () => {
    const header = signShopifyBody(body, 'shpss_secret')
    expect(verifyShopifySignature(body, header, 'shpss_secret')).toBe(true)
    expect(verifyShopifySignature(body, `${header}x`, 'shpss_secret')).toBe(false)
    expect(verifyShopifySignature(body, header, 'nope')).toBe(false)
  })

  it('compares the Telegram secret token exactly', () => {
    expect(verifyTelegramSecret('s3cret', 's3cret')).toBe(true)
    expect(verifyTelegramSecret('s3cre', 's3cret')).toBe(false)
    expect(verifyTelegramSecret(undefined, 's3cret')).toBe(false)
  })
})

describe('signed tokens', () => {
  const now = Date.UTC(2026, 0, 1)
  it('round-trips a payload and refuses tampering', () => {
    const token = signToken({ visitorId: 'v1', exp: now / 1000 + 60 }, 'k')
    expect(verifySignedToken(token, 'k', now)).toMatchObject({ visitorId: 'v1' })
    const [payload, mac] = token.split('.')
    const forged = `${Buffer.from(JSON.stringify({ visitorId: 'v2' })).toString('base64url')}.${mac}`
    expect(verifySignedToken(forged, 'k', now)).toBeNull()
    expect(verifySignedToken(`${payload}.`, 'k', now)).toBeNull()
    expect(verifySignedToken(token, 'other', now)).toBeNull()
  })

  it('refuses an expired token', () => {
    const token = signToken({ visitorId: 'v1', exp: now / 1000 - 1 }, 'k')
    expect(verifySignedToken(token, 'k', now)).toBeNull()
  })

  it('digests tokens deterministically', () => {
    expect(digestToken('abc')).toBe(digestToken('abc'))
    expect(digestToken('abc')).toHaveLength(64)
  })
})
