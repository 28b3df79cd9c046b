// GET /r/<id>: the redirect behind every link in a sent message (delivery/message-links.ts). Counts the click and
// forwards with a 302; an unknown id gets a plain 404 page. Shoppers reach it from their chat app, so the answers
// are pages, not JSON; it is limited per address so nobody can inflate the click counts.
import { Hono } from 'hono'
import { LINK_ID_PATTERN, recordLinkClick } from '../delivery/message-links.ts'
import type { RuntimeDeps } from '../deps.ts'
import type { AppEnv } from '../http/app-env.ts'
import { clientAddress } from '../http/client-ip.ts'
import { RateLimitedError } from '../http/errors.ts'

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`

export function linkRedirectRoutes(deps: RuntimeDeps) {
  const app = new Hono<AppEnv>()
  app.get('/r/:id', async (c) => {
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    try {
      await deps.rateLimits.hit(['linkClicksPerIp', clientAddress(c)])
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error
      c.header('Retry-After', String(error.retryAfterSeconds))
      return c.html(page('Too many clicks', 'Please wait a moment and open the link again.'), 429)
    }
    const id = c.req.param('id')
    const target = LINK_ID_PATTERN.test(id) ? await recordLinkClick(deps.db, id, deps.clock.now()) : null
    if (!target) return c.html(page('Link not found', 'This link does not exist or has been removed.'), 404)
    return c.redirect(target, 302)
  })
  return app
}
