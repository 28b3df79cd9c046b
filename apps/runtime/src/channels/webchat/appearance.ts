// GET /api/webchat/:channelId/appearance: how the owner set the chat to look (brand colour, greeting, avatar)
// from the Channels screen, read by the widget when it mounts. Public like every web-chat route: nothing in it
// is secret, and the origin policy of /api/webchat/* applies (webchat/routes.ts registers it first).
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../http/app-env.ts'
import { findPublicChannel } from '../channel-lookup.ts'

const appearanceConfig = z.object({
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional()
    .catch(undefined),
  greeting: z.string().max(300).optional().catch(undefined),
  avatarUrl: z
    .string()
    .regex(/^https?:\/\//)
    .max(500)
    .optional()
    .catch(undefined),
})

export interface WebchatAppearance {
  brandColor: string | null
  greeting: string | null
  avatarUrl: string | null
}

export function webchatAppearanceRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/api/webchat/:channelId/appearance', async (c) => {
    const channel = await findPublicChannel(c.get('deps').db, c.req.param('channelId'), 'webchat')
    const config = appearanceConfig.parse(channel.config ?? {})
    // A minute: a change on the Channels screen shows on the store soon, without a request per page view.
    c.header('cache-control', 'public, max-age=60')
    return c.json({
      brandColor: config.brandColor ?? null,
      greeting: config.greeting || null,
      avatarUrl: config.avatarUrl ?? null,
    } satisfies WebchatAppearance)
  })
  return app
}
