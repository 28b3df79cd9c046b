// Security headers on every response (hono/secure-headers). The editor and the API may never be framed
// (clickjacking of publish or API keys) and load nothing but their own scripts; the web-chat widget script and
// the web-chat API are made to be used from merchants' sites, so they are loadable cross-origin (who may call
// the API is the channel's allowed-origins list, channels/webchat/allowed-origins.ts).
import type { MiddlewareHandler } from 'hono'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import type { RuntimeConfig } from '../config.ts'
import type { AppEnv } from './app-env.ts'

/** The editor SPA (a Vite build: no inline scripts) and every API answer. */
const APP_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // React Flow positions nodes and edges with inline style attributes.
  styleSrc: ["'self'", "'unsafe-inline'"],
  // Product images come from the merchants' stores and CDNs.
  imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
  fontSrc: ["'self'", 'data:'],
  // 'self' covers the same-origin ws:/wss: sockets (inbox, web chat).
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/** Paths loaded by merchants' pages: the widget bundle and the web-chat API. */
const EMBEDDABLE = /^\/(widget\.js$|api\/webchat\/)/
/** The development-only demo store: one inline script, allowed by a per-response nonce. */
const DEMO = /^\/demo(\/|$)/

/**
 * @example app.use('*', securityHeaders(config))
 */
export function securityHeaders(config: Pick<RuntimeConfig, 'NODE_ENV'>): MiddlewareHandler<AppEnv> {
  const common = {
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    // Browsers ignore HSTS over plain http, but a development host on https must not be pinned to it.
    strictTransportSecurity: config.NODE_ENV === 'production' ? 'max-age=31536000; includeSubDomains' : false,
  }
  const app = secureHeaders({ ...common, contentSecurityPolicy: APP_CSP })
  const embeddable = secureHeaders({
    ...common,
    contentSecurityPolicy: APP_CSP,
    // Without this, a store's <script src=".../widget.js"> is blocked (the default is same-origin).
    crossOriginResourcePolicy: 'cross-origin',
  })
  const demo = secureHeaders({
    ...common,
    contentSecurityPolicy: { ...APP_CSP, scriptSrc: ["'self'", NONCE] },
  })
  return (c, next) => {
    const path = c.req.path
    if (EMBEDDABLE.test(path)) return embeddable(c, next)
    if (DEMO.test(path)) return demo(c, next)
    return app(c, next)
  }
}
