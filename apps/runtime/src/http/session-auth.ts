// Staff authentication: the `parley_session` cookie (httpOnly, SameSite=Lax; in production `__Host-parley_session`
// and Secure, so neither plain http nor a sibling subdomain can set or read it; elsewhere Secure behind https) names a
// session row by (merchant, token hash). Mutations must echo the session's CSRF token in X-CSRF-Token
// (double submit: a cross-site page can make the browser send the cookie, but cannot read the token).
import { timingSafeEqual } from 'node:crypto'
import { CSRF_HEADER, SESSION_COOKIE } from '@parley/api'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import {
  findSession,
  parseSessionCookie,
  refreshSession,
  SESSION_REFRESH_AFTER_MS,
  SESSION_TTL_MS,
  sessionCookieValue,
} from '../accounts/sessions.ts'
import type { RuntimeConfig } from '../config.ts'
import type { AppEnv } from './app-env.ts'
import { AppError, unauthorized } from './errors.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function cookieOptions(config: RuntimeConfig) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax' as const,
    // Production is always Secure, whatever PUBLIC_URL says: TLS may end at a proxy in front of us.
    secure: config.NODE_ENV === 'production' || (config.PUBLIC_URL?.startsWith('https:') ?? false),
  }
}

/** `__Host-parley_session` in production (the prefix makes the browser insist on Secure, Path=/, no Domain). */
export function sessionCookieName(config: RuntimeConfig): string {
  return config.NODE_ENV === 'production' ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE
}

export function setSessionCookie(c: Context<AppEnv>, merchantId: string, token: string): void {
  setCookie(c, sessionCookieName(c.var.deps.config), sessionCookieValue(merchantId, token), {
    ...cookieOptions(c.var.deps.config),
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, sessionCookieName(c.var.deps.config), cookieOptions(c.var.deps.config))
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Requires a signed-in staff member; on POST/PUT/PATCH/DELETE also the CSRF header. Sets `caller`.
 * 401 unauthorized without a live session, 403 csrf_failed without the right header.
 * The sliding expiry is written at most hourly and only after a successful response, so a refused
 * request writes nothing.
 */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, clock, config } = c.get('deps')
  const cookie = parseSessionCookie(getCookie(c, sessionCookieName(config)))
  if (!cookie) throw unauthorized()
  const now = new Date(clock.now())
  const session = await findSession(db, cookie.merchantId, cookie.token, now)
  if (!session) throw unauthorized('Your session has ended; sign in again')
  if (!SAFE_METHODS.has(c.req.method)) {
    const header = c.req.header(CSRF_HEADER)
    if (!header || !sameToken(header, session.csrfToken)) {
      throw new AppError(403, 'csrf_failed', `Missing or wrong ${CSRF_HEADER} header`)
    }
  }
  c.set('caller', {
    kind: 'session',
    merchantId: session.merchantId,
    userId: session.userId,
    role: session.role,
    sessionId: session.id,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  })
  await next()
  if (c.res.status < 400 && now.getTime() - session.lastSeenAt.getTime() >= SESSION_REFRESH_AFTER_MS) {
    const caller = c.get('caller')
    // Sign-out clears the caller: the row is gone, nothing to refresh.
    if (caller?.kind === 'session') {
      const expiresAt = await refreshSession(db, session.merchantId, session.id, now)
      setSessionCookie(c, session.merchantId, cookie.token)
      caller.expiresAt = expiresAt
    }
  }
}
