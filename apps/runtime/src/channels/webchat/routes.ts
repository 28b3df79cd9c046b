// Web-chat HTTP and WebSocket routes (public, keyed by channel id; the visitor token is the only credential):
//   POST /api/webchat/:channelId/session    new visitor id + token, or a refreshed token for a valid one
//   GET  /api/webchat/:channelId/messages   the visitor's own transcript (Authorization: Bearer <token>)
//   POST /api/webchat/:channelId/messages   text or a button tap, deduped by the client's message id
//   GET  /api/webchat/:channelId/socket?token=   WebSocket of live transcript events
import { upgradeWebSocket } from '@hono/node-server'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { z } from 'zod'
import { processInboundMessage } from '../../engine/inbound.ts'
import type { AppEnv } from '../../http/app-env.ts'
import { AppError, unauthorized } from '../../http/errors.ts'
import { findPublicChannel } from '../channel-lookup.ts'
import type { InboundHandler } from '../inbound-handler.ts'
import { listVisitorTranscript } from './transcript.ts'
import { issueVisitorToken, newVisitorId, type VisitorClaims, verifyVisitorToken } from './visitor-token.ts'
import { webchatHubFor } from './webchat-hub.ts'

export interface WebchatRoutesOptions {
  /** The engine's processInboundMessage. */
  handleInbound: InboundHandler
}

const sessionBody = z.object({ token: z.string().max(2000).optional() }).strict()

export const visitorMessageBody = z
  .object({
    /** The widget's id for this message; a retried POST with the same id is processed once. */
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, - or _'),
    text: z.string().max(4096).default(''),
    /** The id of the quick-reply button tapped (its title goes in `text`). */
    buttonId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((body) => body.text.trim() !== '' || body.buttonId !== undefined, {
    message: 'Send text or a button id',
    path: ['text'],
  })

const MAX_BODY_BYTES = 16 * 1024

export function webchatRoutes(
  options: WebchatRoutesOptions = { handleInbound: processInboundMessage },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  // The widget runs on the store's own domain. Bearer tokens, not cookies, so any origin may call.
  app.use(
    '/api/webchat/*',
    cors({ origin: '*', allowHeaders: ['Authorization', 'Content-Type'], allowMethods: ['GET', 'POST'] }),
  )
  app.use(
    '/api/webchat/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes`)
      },
    }),
  )

  app.post('/api/webchat/:channelId/session', async (c) => {
    const deps = c.get('deps')
    const channel = await findPublicChannel(deps.db, c.req.param('channelId'), 'webchat')
    const body = sessionBody.parse(await readJson(c.req.raw))
    const now = deps.clock.now()
    const previous = verifyVisitorToken(body.token, channel.id, deps.config.secret, now)
    const visitorId =
      previous && previous.merchantId === channel.merchant_id ? previous.visitorId : newVisitorId()
    const { token, claims } = issueVisitorToken(
      { merchantId: channel.merchant_id, channelId: channel.id, visitorId },
      deps.config.secret,
      now,
    )
    return c.json(
      {
        token,
        visitorId,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        refreshed: previous !== null && visitorId === previous.visitorId,
        channel: { id: channel.id, name: channel.name },
      },
      previous ? 200 : 201,
    )
  })

  app.get('/api/webchat/:channelId/messages', async (c) => {
    const deps = c.get('deps')
    const visitor = await authenticateVisitor(c.get('deps'), c.req.param('channelId'), bearer(c.req.raw))
    const { messages, status } = await listVisitorTranscript(
      deps.db,
      visitor.merchantId,
      visitor.channelId,
      visitor.visitorId,
    )
    return c.json({ messages, conversationStatus: status })
  })

  app.post('/api/webchat/:channelId/messages', async (c) => {
    const deps = c.get('deps')
    const visitor = await authenticateVisitor(deps, c.req.param('channelId'), bearer(c.req.raw))
    const body = visitorMessageBody.parse(await readJson(c.req.raw))
    const result = await options.handleInbound(deps, {
      merchantId: visitor.merchantId,
      channelId: visitor.channelId,
      // Client ids are only unique per visitor.
      externalId: `${visitor.visitorId}:${body.clientMessageId}`,
      sender: { externalId: visitor.visitorId },
      text: body.text,
      ...(body.buttonId === undefined ? {} : { buttonId: body.buttonId }),
    })
    const duplicate = (result as { duplicate?: unknown } | undefined)?.duplicate === true
    return c.json({ accepted: true, clientMessageId: body.clientMessageId, duplicate }, 202)
  })

  app.get(
    '/api/webchat/:channelId/socket',
    upgradeWebSocket(async (c) => {
      const deps = c.get('deps')
      // Throwing here answers the upgrade with 401/404 before any socket exists.
      const visitor = await authenticateVisitor(deps, c.req.param('channelId') ?? '', c.req.query('token'))
      const hub = webchatHubFor(deps)
      let detach: (() => void) | undefined
      return {
        onOpen(_event, ws) {
          detach = hub.attach(visitor, ws)
          ws.send(JSON.stringify({ type: 'ready', visitorId: visitor.visitorId }))
        },
        onMessage(event, ws) {
          if (event.data === 'ping') ws.send('pong')
        },
        onClose() {
          detach?.()
        },
        onError() {
          detach?.()
        },
      }
    }),
  )
  app.get('/api/webchat/:channelId/socket', () => {
    throw new AppError(426, 'bad_request', 'Connect with a WebSocket upgrade')
  })

  return app
}

async function authenticateVisitor(
  deps: AppEnv['Variables']['deps'],
  channelId: string,
  token: string | undefined,
): Promise<VisitorClaims> {
  const channel = await findPublicChannel(deps.db, channelId, 'webchat')
  const claims = verifyVisitorToken(token, channel.id, deps.config.secret, deps.clock.now())
  if (!claims || claims.merchantId !== channel.merchant_id) {
    throw unauthorized('A valid visitor token is required')
  }
  return claims
}

function bearer(request: Request): string | undefined {
  const header = request.headers.get('authorization')
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1]
}

/** The JSON body, `{}` for an empty one; invalid JSON is a 400 invalid_json. */
async function readJson(request: Request): Promise<unknown> {
  const text = await request.text()
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError(400, 'invalid_json', 'The request body is not valid JSON')
  }
}
