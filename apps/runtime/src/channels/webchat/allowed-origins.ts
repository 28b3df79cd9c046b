// Which sites may use a web-chat channel: its `allowedOrigins` (channels.config, set by the merchant). An empty or
// missing list means any site, as a freshly pasted snippet works anywhere; the runtime's own origin (the demo
// store, the editor's preview) is always allowed. Browsers always send Origin on these cross-origin calls and
// on WebSocket upgrades, so a refused site gets no CORS grant, a 403, and no socket. Requests without Origin
// (servers, curl) are not browsers acting for a shopper and pass: the visitor token is their credential.
import type { Database } from '@parley/db'
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { AppEnv } from '../../http/app-env.ts'
import { forbidden } from '../../http/errors.ts'
import { isUuid } from '../channel-lookup.ts'

/** `https://shop.example` or `http://localhost:8080`: scheme, host and port, nothing else. */
export const originSchema = z
  .string()
  .max(300)
  .refine(
    (value) => {
      try {
        const url = new URL(value)
        return (
          (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '')
        )
      } catch {
        return false
      }
    },
    { message: 'an origin is a scheme and host, e.g. https://shop.example' },
  )

/** The web-chat part of channels.config this rule reads (other keys, e.g. greeting, pass through). */
export const webchatOriginsConfig = z
  .object({ allowedOrigins: z.array(originSchema).max(50).optional() })
  .loose()

/** True when a page at `origin` may use a channel whose config is `config`. */
export function originAllowed(config: unknown, origin: string, ownHost: string | undefined): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (ownHost !== undefined && url.host === ownHost) return true
  const parsed = webchatOriginsConfig.safeParse(config)
  // A list that does not parse allows nothing: failing closed is the point of having one.
  if (!parsed.success) return false
  const list = parsed.data.allowedOrigins ?? []
  return list.length === 0 || list.some((allowed) => new URL(allowed).origin === url.origin)
}

async function channelConfig(db: Kysely<Database>, channelId: string): Promise<unknown | undefined> {
  if (!isUuid(channelId)) return undefined
  const row = await db
    .selectFrom('channels')
    .select('config')
    .where('id', '=', channelId)
    .where('kind', '=', 'webchat')
    .where('enabled', '=', true)
    .executeTakeFirst()
  return row?.config
}

/** /api/webchat/<channelId>/... → channelId. */
function channelIdOf(path: string): string {
  return path.split('/')[3] ?? ''
}

/**
 * For /api/webchat/*: a browser request (it has an Origin) from a site the channel allows gets CORS (preflights
 * answered here); from any other site, a preflight without a grant and a 403 for the request itself. One channel
 * read, and only for browser requests. Bearer tokens, not cookies: no credentials mode.
 */
export function webchatOriginPolicy(): MiddlewareHandler<AppEnv> {
  // Reached only once the origin is known to be allowed, so it echoes it.
  const grant = cors({
    origin: (origin) => origin,
    allowHeaders: ['Authorization', 'Content-Type'],
    allowMethods: ['GET', 'POST'],
    maxAge: 600,
  })
  return async (c, next) => {
    const origin = c.req.header('origin')
    if (origin === undefined) return next()
    const config = await channelConfig(c.get('deps').db, channelIdOf(c.req.path))
    // An unknown channel: no grant, and the route's own 404.
    if (config === undefined) return next()
    if (originAllowed(config, origin, c.req.header('host'))) return grant(c, next)
    if (c.req.method === 'OPTIONS') return c.body(null, 204)
    throw forbidden('This site is not allowed to use this chat (see the channel’s allowed sites)')
  }
}
