// Store authentication for POST /api/events: `Authorization: Bearer pk_live_<prefix>_<secret>`.
import type { MiddlewareHandler } from 'hono'
import { findActiveApiKey, markApiKeyUsed } from '../accounts/api-keys.ts'
import type { AppEnv } from './app-env.ts'
import { unauthorized } from './errors.ts'

/** last_used_at is written at most this often, and only after a successful request. */
const MARK_USED_AFTER_MS = 60 * 1000

/**
 * Requires a live API key; sets `caller` to `{ kind: 'apikey', merchantId, apiKeyId }`. 401 otherwise.
 * @example createRoute({ method: 'post', path: '/', middleware: [requireApiKey], ... })
 */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, clock } = c.get('deps')
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match?.[1]) throw unauthorized('Send the store API key as "Authorization: Bearer pk_live_..."')
  const key = await findActiveApiKey(db, match[1])
  if (!key) throw unauthorized('Unknown or revoked API key')
  c.set('caller', { kind: 'apikey', merchantId: key.merchant_id, apiKeyId: key.id })
  await next()
  const now = clock.now()
  if (c.res.status < 400 && (!key.last_used_at || now - key.last_used_at.getTime() >= MARK_USED_AFTER_MS)) {
    await markApiKeyUsed(db, key, new Date(now))
  }
}
