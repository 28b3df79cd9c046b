// The browser-facing files on the API's port: the editor SPA from STATIC_DIR (any unknown non-API page path
// answers its index.html, so client-side routes survive a reload) and the web-chat widget at /widget.js.
// Mounted after every API route, so it only sees requests nothing else answered.
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { RuntimeDeps } from '../deps.ts'
import type { AppEnv } from '../http/app-env.ts'

/** The widget bundle in this checkout (apps/widget/dist/widget.js); WIDGET_FILE overrides it. */
export const DEFAULT_WIDGET_FILE = fileURLToPath(new URL('../../../widget/dist/widget.js', import.meta.url))

/** Paths that are never the SPA: an unknown one stays a JSON 404. */
const NOT_SPA = /^\/(api|webhooks|demo|healthz|metrics|openapi\.json)(\/|$)/

/**
 * Vite names every file under assets/ after a hash of its content, so a browser may keep it for good: a new
 * build has new names. Keeping it also keeps V8's compiled code for the scripts, so opening the editor again
 * skips parsing and compiling them. Everything else (index.html, which names the current assets, and the
 * unhashed public files) is asked for again on each load.
 */
export function cacheControlFor(path: string): string {
  return /[\\/]assets[\\/][^\\/]+-[\w-]{8}\.\w+$/.test(path)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache'
}

export function staticFileRoutes(deps: Pick<RuntimeDeps, 'config'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const widgetFile = deps.config.WIDGET_FILE ?? DEFAULT_WIDGET_FILE

  app.get('/widget.js', async (c) => {
    const source = await readFile(widgetFile, 'utf8').catch(() => null)
    if (source === null) {
      return c.text('// The widget is not built: run `pnpm --filter @parley/widget build`\n', 404, {
        'Content-Type': 'text/javascript; charset=utf-8',
      })
    }
    return c.body(source, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      // Stores embed it from their own origin; short caching so a new build shows up soon.
      'Cache-Control': 'public, max-age=300',
      'Access-Control-Allow-Origin': '*',
    })
  })

  const root = deps.config.STATIC_DIR ? resolve(deps.config.STATIC_DIR) : undefined
  if (root) {
    const indexFile = join(root, 'index.html')
    // The file each request was answered with (onFound runs after the response is built, so the header is set
    // on that response below).
    const found = new WeakMap<object, string>()
    const serveFiles = serveStatic<AppEnv>({ root, onFound: (path, c) => void found.set(c, path) })
    app.use('*', async (c, next) => {
      if (NOT_SPA.test(c.req.path)) return next()
      const res = await serveFiles(c, next)
      const path = found.get(c)
      if (res && path) res.headers.set('Cache-Control', cacheControlFor(path))
      return res
    })
    app.get('*', async (c, next) => {
      const path = c.req.path
      // A missing asset (a dot in the last segment) is a real 404, not the SPA.
      if (NOT_SPA.test(path) || /\.[^/]+$/.test(path)) return next()
      const html = await readFile(indexFile, 'utf8').catch(() => null)
      if (html === null) return next()
      return c.html(html, 200, { 'Cache-Control': 'no-cache' })
    })
  }
  return app
}
