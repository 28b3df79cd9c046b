// Web-chat visitor tokens: a signed { merchantId, channelId, visitorId, exp } that is the visitor's only key to
// their transcript and socket. Signed with the runtime secret, so a visitor id cannot be guessed into a token.
import { randomUUID } from 'node:crypto'
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

/** The claims of a valid, unexpired visitor token for this channel; null otherwise. */
export function verifyVisitorToken(
  token: string | undefined,
  channelId: string,
  secret: string,
  nowMs: number,
): VisitorClaims | null {
  if (!token) return null
  const payload = verifySignedToken<Record<string, unknown>>(token, secret, nowMs)
  if (!payload || payload.typ !== TOKEN_TYPE) return null
  const { merchantId, visitorId, exp } = payload
  if (payload.channelId !== channelId) return null
  if (typeof merchantId !== 'string' || typeof visitorId !== 'string' || typeof exp !== 'number') return null
  return { merchantId, channelId, visitorId, exp }
}

export function newVisitorId(): string {
  return `v_${randomUUID()}`
}
