// Web-chat visitor tokens: a signed { merchantId, channelId, visitorId, exp } that is the visitor's only key to
// their transcript and socket. Signed with the runtime secret, so a visitor id cannot be guessed into a token.
import { randomUUID } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { signToken, verifySignedToken } from '../../security/signatures.ts'

export const VISITOR_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60

export interface VisitorClaims {
  merchantId: string
  channelId: string
  visitorId: string
  /** Expiry, seconds since the epoch. */
  exp: number
}

/** Marks the token's purpose, so no other token signed with the same secret can pass as a visitor token. */
const TOKEN_TYPE = 'webchat-visitor'

export function issueVisitorToken(
  claims: Omit<VisitorClaims, 'exp'>,
  secret: string,
  nowMs: number,
): { token: string; claims: VisitorClaims } {
  const full: VisitorClaims = { ...claims, exp: Math.floor(nowMs / 1000) + VISITOR_TOKEN_TTL_SECONDS }
  return { token: signToken({ typ: TOKEN_TYPE, ...full }, secret), claims: full }
}

/**
 * Tokens whose signature this process already checked, with their claims (per process: process-state.ts). A
 * visitor sends every message with the same token, so only its first request pays the HMAC, the base64 and the
 * JSON parse (≈ 11 µs of CPU; 3.8 % of the runtime's busy samples in the inbound bench's profile). Only tokens
 * that verified are kept, keyed by the whole token and the secret that verified it; expiry and channel are still
 * checked on every use.
 */
export type VerifiedVisitorTokens = LRUCache<string, { secret: string; claims: VisitorClaims }>

/** Room for the tokens of this many visitors (~0.5 kB each). */
const VERIFIED_TOKENS_KEPT = 10_000

export function createVerifiedVisitorTokens(): VerifiedVisitorTokens {
  return new LRUCache({ max: VERIFIED_TOKENS_KEPT })
}

/** The claims of a valid, unexpired visitor token for this channel; null otherwise. */
export function verifyVisitorToken(
  token: string | undefined,
  channelId: string,
  secret: string,
  nowMs: number,
  verified?: VerifiedVisitorTokens,
): VisitorClaims | null {
  if (!token) return null
  const known = verified?.get(token)
  const claims = known?.secret === secret ? known.claims : verifySignature(token, secret)
  if (!claims || claims.channelId !== channelId || claims.exp * 1000 < nowMs) return null
  if (verified && known?.claims !== claims) verified.set(token, { secret, claims })
  return claims
}

/** The claims of a token signed with `secret` as a visitor token, expired or not; null otherwise. */
function verifySignature(token: string, secret: string): VisitorClaims | null {
  const payload = verifySignedToken<Record<string, unknown>>(token, secret, Number.NEGATIVE_INFINITY)
  if (!payload || payload.typ !== TOKEN_TYPE) return null
  const { merchantId, channelId, visitorId, exp } = payload
  if (
    typeof merchantId !== 'string' ||
    typeof channelId !== 'string' ||
    typeof visitorId !== 'string' ||
    typeof exp !== 'number'
  )
    return null
  // Frozen: the cached claims are shared by every request that presents the token.
  return Object.freeze({ merchantId, channelId, visitorId, exp })
}

export function newVisitorId(): string {
  return `v_${randomUUID()}`
}
