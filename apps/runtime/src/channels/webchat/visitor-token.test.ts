import { describe, expect, it } from 'vitest'
import { signToken } from '../../security/signatures.ts'
import {
  createVerifiedVisitorTokens,
  issueVisitorToken,
  VISITOR_TOKEN_TTL_SECONDS,
  verifyVisitorToken,
} from './visitor-token.ts'

const SECRET = 'visitor-token-test-secret-0123456789abcdef'
const NOW = Date.parse('2026-11-30T12:00:00Z')
const claims = { merchantId: 'm_1', channelId: 'ch_1', visitorId: 'v_1' }

describe('verifyVisitorToken with the verified-token cache', () => {
  it('answers as without the cache, and keeps only a token that verified', () => {
    const verified = createVerifiedVisitorTokens()
    const { token, claims: issued } = issueVisitorToken(claims, SECRET, NOW)
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`

    expect(verifyVisitorToken(tampered, 'ch_1', SECRET, NOW, verified)).toBeNull()
    expect(verified.size).toBe(0)
    for (let i = 0; i < 2; i++) {
      expect(verifyVisitorToken(token, 'ch_1', SECRET, NOW, verified)).toEqual(issued)
      expect(verifyVisitorToken(token, 'ch_1', SECRET, NOW)).toEqual(issued)
    }
    expect(verified.size).toBe(1)
    expect(verified.get(token)?.claims).toEqual(issued)
    expect(Object.isFrozen(verifyVisitorToken(token, 'ch_1', SECRET, NOW, verified))).toBe(true)
  })

  it('still checks the channel and the expiry of a token it already verified', () => {
    const verified = createVerifiedVisitorTokens()
    const { token, claims: issued } = issueVisitorToken(claims, SECRET, NOW)
    expect(verifyVisitorToken(token, 'ch_1', SECRET, NOW, verified)).toEqual(issued)

    expect(verifyVisitorToken(token, 'ch_2', SECRET, NOW, verified)).toBeNull()
    const lastValid = NOW + VISITOR_TOKEN_TTL_SECONDS * 1000 - 1000
    expect(verifyVisitorToken(token, 'ch_1', SECRET, lastValid, verified)).toEqual(issued)
    expect(verifyVisitorToken(token, 'ch_1', SECRET, lastValid + 2000, verified)).toBeNull()
    expect(verifyVisitorToken(token, 'ch_1', SECRET, lastValid + 2000)).toBeNull()
  })

  it('checks the signature again under another secret (a rotated secret refuses old tokens)', () => {
    const verified = createVerifiedVisitorTokens()
    const { token } = issueVisitorToken(claims, SECRET, NOW)
    expect(verifyVisitorToken(token, 'ch_1', SECRET, NOW, verified)).not.toBeNull()

    expect(verifyVisitorToken(token, 'ch_1', `${SECRET}-rotated`, NOW, verified)).toBeNull()
    expect(verifyVisitorToken(token, 'ch_1', SECRET, NOW, verified)).not.toBeNull()
  })

  it('refuses a token of another purpose or shape signed with the same secret, and keeps none', () => {
    const verified = createVerifiedVisitorTokens()
    const exp = Math.floor(NOW / 1000) + 60
    const foreign = signToken({ typ: 'password-reset', ...claims, exp }, SECRET)
    const noExpiry = signToken({ typ: 'webchat-visitor', ...claims }, SECRET)
    const numericVisitor = signToken({ typ: 'webchat-visitor', ...claims, visitorId: 7, exp }, SECRET)
    for (const token of [foreign, noExpiry, numericVisitor, 'not-a-token', ''])
      expect(verifyVisitorToken(token, 'ch_1', SECRET, NOW, verified)).toBeNull()
    expect(verified.size).toBe(0)
  })
})
