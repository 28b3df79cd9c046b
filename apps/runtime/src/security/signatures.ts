// Webhook verification and signed tokens. Nothing from a provider is trusted before these pass.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** WhatsApp Cloud API: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`. */
export function verifyWhatsAppSignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  appSecret: string,
) {
  if (!header?.startsWith('sha256=')) return false
  const expected = createHmac('sha256', appSecret).update(rawBody).digest('hex')
  return safeEqual(header.slice('sha256='.length).toLowerCase(), expected)
}

/** Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body with the app secret>`. */
export function verifyShopifySignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  secret: string,
) {
  if (!header) return false
  const expected = createHmac('sha256', secret).update(rawBody).digest('base64')
  return safeEqual(header, expected)
}

/** Telegram: the secret given to setWebhook comes back verbatim in `X-Telegram-Bot-Api-Secret-Token`. */
export function verifyTelegramSecret(header: string | undefined, secret: string) {
  return header !== undefined && safeEqual(header, secret)
}

export function signWhatsAppBody(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`
}

export function signShopifyBody(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64')
}

/** A random secret for API keys, session ids and CSRF tokens (URL-safe). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** API keys and session tokens are stored as SHA-256 digests; the plaintext is shown once. */
export function digestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * A compact signed token `<payload base64url>.<HMAC base64url>` (visitor tokens for the web chat).
 * `verifySignedToken` returns the payload, or null when the signature or expiry does not hold.
 */
export function signToken(payload: Record<string, unknown>, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  const mac = createHmac('sha256', secret).update(body).digest('base64url')
  return `${body}.${mac}`
}

export function verifySignedToken<T extends Record<string, unknown>>(
  token: string,
  secret: string,
  nowMs: number,
): T | null {
  const [body, mac] = token.split('.')
  if (!body || !mac) return null
  const expected = createHmac('sha256', secret).update(body).digest('base64url')
  if (!safeEqual(mac, expected)) return null
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp?: number }
    if (typeof payload.exp === 'number' && payload.exp * 1000 < nowMs) return null
    return payload
  } catch {
    return null
  }
}
