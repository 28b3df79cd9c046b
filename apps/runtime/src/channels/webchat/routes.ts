// Web-chat HTTP and WebSocket routes (public, keyed by channel id; the visitor token is the only credential):
//   POST /api/webchat/:channelId/session    new visitor id + token, or a refreshed token for a valid one
//   GET  /api/webchat/:channelId/messages   the visitor's own transcript (Authorization: Bearer <token>)
//   POST /api/webchat/:channelId/messages   text or a button tap, deduped by the client's message id
//   GET  /api/webchat/:channelId/socket?token=   WebSocket of live transcript events
//   POST /api/webchat/:channelId/typing     the visitor is typing (to the inbox while a person is involved; else
//                                           the bot waits for what they are typing, engine/burst-merge.ts)
//   POST /api/webchat/:channelId/photos     a photo (JPEG/PNG/WebP/HEIC, ≤ 10 MB) as the raw body
//   GET  /api/webchat/:channelId/photos/:id the visitor's own photo back
import { upgradeWebSocket } from '@hono/node-server'
import { createRoute } from '@hono/zod-openapi'
import {
  typingAcceptedSchema,
  visitorMessageAcceptedSchema,
  visitorMessageRequestSchema,
  visitorPhotoParamsSchema,
  visitorPhotoQuerySchema,
  visitorSessionRequestSchema,
  visitorSessionSchema,
  visitorTranscriptSchema,
  WEBCHAT_PHOTO_MAX_BYTES,
  webchatParamsSchema,
} from '@parley/api'
import type { Context, MiddlewareHandler } from 'hono'
import { NotFoundError } from '../../domain-errors.ts'
import { extendBurstWhileTyping } from '../../engine/burst-merge.ts'
import { processInboundMessage } from '../../engine/inbound.ts'
import type { AppEnv } from '../../http/app-env.ts'
import { bodyLimit } from '../../http/body-limit.ts'
import { clientAddress } from '../../http/client-ip.ts'
import { AppError, notFound, unauthorized } from '../../http/errors.ts'
import { readJsonBody } from '../../http/json-body.ts'
import { validJsonRequest } from '../../http/json-request.ts'
import { errorResponses } from '../../http/openapi-responses.ts'
import { createRouter } from '../../http/router.ts'
import type { RateLimitCheck } from '../../security/rate-limits.ts'
import { findPublicChannel } from '../channel-lookup.ts'
import type { InboundHandler } from '../inbound-handler.ts'
import { webchatOriginPolicy } from './allowed-origins.ts'
import { checkPhoto, readPhoto, savePhoto, WEBCHAT_PHOTO_REF_PREFIX } from './photo-store.ts'
import { findVisitorConversations, listVisitorTranscript } from './transcript.ts'
import { issueVisitorToken, newVisitorId, type VisitorClaims, verifyVisitorToken } from './visitor-token.ts'

export interface WebchatRoutesOptions {
  /** The engine's processInboundMessage. */
  handleInbound: InboundHandler
}

const MAX_BODY_BYTES = 16 * 1024

/** The photo upload's path: its body is an image of up to WEBCHAT_PHOTO_MAX_BYTES, not a small JSON body. */
export const WEBCHAT_PHOTO_UPLOAD_PATH = /^\/api\/webchat\/[^/]+\/photos$/

/** Who the bearer token says the caller is, per request (set by requireVisitor). */
const visitors = new WeakMap<Request, VisitorClaims>()

const requireVisitor: MiddlewareHandler<AppEnv> = async (c, next) => {
  visitors.set(
    c.req.raw,
    await authenticateVisitor(c.get('deps'), c.req.param('channelId') ?? '', bearer(c.req.raw)),
  )
  await next()
}

/**
 * For sending, the token alone (no read): it is signed and names merchant and channel, and the engine's batch
 * refuses a message for a channel that is gone or disabled (NotFoundError), when the send route asks again the
 * slow way. A token that does not verify for this channel is answered as requireVisitor answers it (404 for an
 * unknown channel, else 401).
 */
const requireVisitorToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const deps = c.get('deps')
  const channelId = c.req.param('channelId') ?? ''
  const token = bearer(c.req.raw)
  visitors.set(
    c.req.raw,
    verifyVisitorToken(token, channelId, deps.config.secret, deps.clock.now(), deps.visitorTokens) ??
      (await authenticateVisitor(deps, channelId, token)),
  )
  await next()
}

function visitorOf(request: Request): VisitorClaims {
  const visitor = visitors.get(request)
  if (!visitor) throw unauthorized('A valid visitor token is required')
  return visitor
}

const tags = ['web chat']
const security = [{ visitorToken: [] }]
const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

const routes = {
  session: createRoute({
    method: 'post',
    path: '/api/webchat/{channelId}/session',
    tags,
    summary:
      'Start a visitor session, or refresh a valid token (optional body { token }) keeping the visitor id',
    request: { params: webchatParamsSchema },
    responses: {
      200: json(visitorSessionSchema, 'Refreshed'),
      201: json(visitorSessionSchema, 'A new visitor'),
      ...errorResponses,
    },
  }),
  transcript: createRoute({
    method: 'get',
    path: '/api/webchat/{channelId}/messages',
    tags,
    security,
    middleware: [requireVisitor],
    summary: "The visitor's own transcript (the latest 200 messages; bot and staff messages once delivered)",
    request: { params: webchatParamsSchema },
    responses: { 200: json(visitorTranscriptSchema, 'Transcript'), ...errorResponses },
  }),
  // Served by app.post below (validated in the handler, http/json-request.ts: every shopper message takes this
  // route); this entry is its OpenAPI description.
  send: createRoute({
    method: 'post',
    path: '/api/webchat/{channelId}/messages',
    tags,
    security,
    summary: 'Send text or a button tap; processed once per clientMessageId',
    request: {
      params: webchatParamsSchema,
      body: { required: true, content: { 'application/json': { schema: visitorMessageRequestSchema } } },
    },
    responses: { 202: json(visitorMessageAcceptedSchema, 'Accepted'), ...errorResponses },
  }),
  typing: createRoute({
    method: 'post',
    path: '/api/webchat/{channelId}/typing',
    tags,
    security,
    middleware: [requireVisitor],
    summary: 'The visitor is typing: shown in the inbox while a person has (or is about to have) the chat',
    request: { params: webchatParamsSchema },
    responses: { 202: json(typingAcceptedSchema, 'Accepted'), ...errorResponses },
  }),
  uploadPhoto: createRoute({
    method: 'post',
    path: '/api/webchat/{channelId}/photos',
    tags,
    security,
    middleware: [requireVisitor],
    summary: `Send a photo: the raw JPEG, PNG, WebP or HEIC bytes (at most ${WEBCHAT_PHOTO_MAX_BYTES} bytes) as the body`,
    request: {
      params: webchatParamsSchema,
      query: visitorPhotoQuerySchema,
      body: {
        required: true,
        content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
      },
    },
    responses: { 202: json(visitorMessageAcceptedSchema, 'Accepted'), ...errorResponses },
  }),
  readPhoto: createRoute({
    method: 'get',
    path: '/api/webchat/{channelId}/photos/{photoId}',
    tags,
    security,
    middleware: [requireVisitor],
    summary: 'A photo the visitor sent',
    request: { params: visitorPhotoParamsSchema },
    responses: {
      200: {
        description: 'The image bytes',
        content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
      },
      ...errorResponses,
    },
  }),
}

export function webchatRoutes(options: WebchatRoutesOptions = { handleInbound: processInboundMessage }) {
  const app = createRouter()
  app.openAPIRegistry.registerComponent('securitySchemes', 'visitorToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The visitor token from POST /api/webchat/{channelId}/session',
  })

  // The widget runs on the store's own site: the channel's allowed origins decide which sites (any when empty).
  app.use('/api/webchat/*', webchatOriginPolicy())
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes`)
    },
  })
  const photoBodyLimit = bodyLimit({
    maxSize: WEBCHAT_PHOTO_MAX_BYTES,
    onError: () => {
      throw new AppError(
        413,
        'payload_too_large',
        `Photos can be up to ${WEBCHAT_PHOTO_MAX_BYTES / 1024 / 1024} MB`,
      )
    },
  })
  app.use('/api/webchat/*', (c, next) =>
    c.req.method === 'POST' && WEBCHAT_PHOTO_UPLOAD_PATH.test(c.req.path)
      ? photoBodyLimit(c, next)
      : jsonBodyLimit(c, next),
  )

  app.openapi(routes.session, async (c) => {
    const deps = c.get('deps')
    const channel = await findPublicChannel(deps.db, c.req.valid('param').channelId, 'webchat')
    const body = visitorSessionRequestSchema.parse(await readJsonBody(c.req.raw, { optional: true }))
    const now = deps.clock.now()
    const previous = verifyVisitorToken(body.token, channel.id, deps.config.secret, now)
    const known = previous !== null && previous.merchantId === channel.merchant_id
    // A new visitor is what a flood creates (each later becomes a contact and a conversation); a refresh of a
    // valid token is not counted. The address first, so one address cannot spend the channel's budget.
    if (!known) {
      await deps.rateLimits.hit(
        ['webchatVisitorsPerIp', clientAddress(c)],
        ['webchatVisitorsPerChannel', channel.id],
      )
    }
    const visitorId = known ? previous.visitorId : newVisitorId()
    const { token, claims } = issueVisitorToken(
      { merchantId: channel.merchant_id, channelId: channel.id, visitorId },
      deps.config.secret,
      now,
    )
    const refreshed = previous !== null && visitorId === previous.visitorId
    return c.json(
      {
        token,
        visitorId,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        refreshed,
        channel: { id: channel.id, name: channel.name },
      },
      refreshed ? 200 : 201,
    )
  })

  app.openapi(routes.transcript, async (c) => {
    const deps = c.get('deps')
    const visitor = visitorOf(c.req.raw)
    const { messages, status } = await listVisitorTranscript(
      deps.db,
      visitor.merchantId,
      visitor.channelId,
      visitor.visitorId,
    )
    return c.json(
      { messages, conversationStatus: status, now: new Date(deps.clock.now()).toISOString() },
      200,
    )
  })

  app.openAPIRegistry.registerPath(routes.send)
  // The token before the body: an unauthenticated caller learns nothing about what a valid body is.
  app.post('/api/webchat/:channelId/messages', requireVisitorToken, async (c) => {
    const deps = c.get('deps')
    const visitor = visitorOf(c.req.raw)
    const { body } = await validJsonRequest(c, webchatParamsSchema, visitorMessageRequestSchema)
    let result: unknown
    try {
      result = await options.handleInbound(
        deps,
        {
          merchantId: visitor.merchantId,
          channelId: visitor.channelId,
          // Client ids are only unique per visitor.
          externalId: `${visitor.visitorId}:${body.clientMessageId}`,
          sender: { externalId: visitor.visitorId },
          text: body.text,
          ...(body.buttonId === undefined ? {} : { buttonId: body.buttonId }),
        },
        // Counted with the message's inbound batch, one statement for the batch (issue 9); a refusal is the
        // 429 and nothing is processed.
        messageLimits(visitor, clientAddress(c)),
      )
    } catch (error) {
      // The channel is gone, disabled or not the token's merchant's: the same answer as the other routes.
      if (error instanceof NotFoundError)
        await authenticateVisitor(deps, visitor.channelId, bearer(c.req.raw))
      throw error
    }
    const duplicate = (result as { duplicate?: unknown } | undefined)?.duplicate === true
    return c.json({ accepted: true as const, clientMessageId: body.clientMessageId, duplicate }, 202)
  })

  app.openapi(routes.typing, async (c) => {
    const deps = c.get('deps')
    const visitor = visitorOf(c.req.raw)
    const [latest] = await findVisitorConversations(
      deps.db,
      visitor.merchantId,
      visitor.channelId,
      visitor.visitorId,
    )
    // Typing to the bot is nobody's business: only a chat with (or waiting for) a person tells the inbox.
    const withPerson = latest?.status === 'waiting' || latest?.status === 'assigned'
    const published = withPerson ? await deps.typing.shopperTyping(visitor.merchantId, latest.id) : false
    // Typing to the bot holds back its answer to what they just sent (engine/burst-merge.ts), within bounds.
    if (latest && !withPerson)
      await extendBurstWhileTyping(deps.db, visitor.merchantId, latest.id, deps.clock.now())
    return c.json({ published }, 202)
  })

  app.openapi(routes.uploadPhoto, async (c) => {
    const deps = c.get('deps')
    const visitor = visitorOf(c.req.raw)
    const { clientMessageId } = c.req.valid('query')
    // Counted here, not with the inbound batch: the photo is saved before the message reaches the engine.
    await deps.rateLimits.hit(...messageLimits(visitor, clientAddress(c)))
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    const contentType = checkPhoto(bytes, c.req.header('content-type'))
    const photoId = await savePhoto(deps.db, {
      merchantId: visitor.merchantId,
      channelId: visitor.channelId,
      visitorId: visitor.visitorId,
      contentType,
      bytes,
      at: deps.clock.now(),
    })
    const result = await options.handleInbound(deps, {
      merchantId: visitor.merchantId,
      channelId: visitor.channelId,
      externalId: `${visitor.visitorId}:${clientMessageId}`,
      sender: { externalId: visitor.visitorId },
      text: '',
      media: [{ url: `${WEBCHAT_PHOTO_REF_PREFIX}${photoId}`, mimeType: contentType }],
    })
    const duplicate = (result as { duplicate?: unknown } | undefined)?.duplicate === true
    return c.json({ accepted: true as const, clientMessageId, duplicate }, 202)
  })

  app.openapi(routes.readPhoto, async (c) => {
    const deps = c.get('deps')
    const visitor = visitorOf(c.req.raw)
    const photo = await readPhoto(deps.db, visitor.merchantId, c.req.valid('param').photoId, visitor)
    if (!photo) throw notFound('Photo')
    return c.body(new Uint8Array(photo.bytes), 200, {
      'content-type': photo.contentType,
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    })
  })

  // WebSocket of live transcript events (not in /openapi.json): GET /api/webchat/:channelId/socket?token=
  app.get(
    '/api/webchat/:channelId/socket',
    upgradeWebSocket(async (c) => {
      const deps = (c as Context<AppEnv>).get('deps')
      // Throwing here answers the upgrade with 401/404 before any socket exists.
      const visitor = await authenticateVisitor(deps, c.req.param('channelId') ?? '', c.req.query('token'))
      const address = clientAddress(c as Context<AppEnv>)
      deps.sockets.admit(address)
      const hub = deps.webchatHub
      let detach: (() => void) | undefined
      return {
        onOpen(_event, ws) {
          // One token opening sockets in a loop keeps only its newest few (a shopper's tabs).
          const untrack = deps.sockets.track(ws, {
            address,
            group: {
              key: `visitor:${visitor.channelId}:${visitor.visitorId}`,
              limit: deps.config.WS_SOCKETS_PER_VISITOR,
            },
          })
          if (!untrack) return
          const detachHub = hub.attach(visitor, ws)
          detach = () => {
            untrack()
            detachHub()
          }
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

/** A visitor's message counts per visitor first: one noisy visitor is refused without spending its address's budget. */
function messageLimits(visitor: VisitorClaims, address: string): RateLimitCheck[] {
  return [
    ['webchatMessagesPerVisitor', `${visitor.channelId}:${visitor.visitorId}`],
    ['webchatMessagesPerIp', address],
  ]
}

async function authenticateVisitor(
  deps: AppEnv['Variables']['deps'],
  channelId: string,
  token: string | undefined,
): Promise<VisitorClaims> {
  const channel = await findPublicChannel(deps.db, channelId, 'webchat')
  const claims = verifyVisitorToken(
    token,
    channel.id,
    deps.config.secret,
    deps.clock.now(),
    deps.visitorTokens,
  )
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
