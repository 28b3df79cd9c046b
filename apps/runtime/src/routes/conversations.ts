// The staff inbox API (session auth; agents, editors and owners): conversations by status with the waiting
// ones first, a transcript, take over, reply as staff, hand back to the bot, resolve, and a WebSocket of live
// updates (GET /api/conversations/socket). Tenant-scoped: another merchant's conversation id answers 404.
import { upgradeWebSocket } from '@hono/node-server'
import { createRoute } from '@hono/zod-openapi'
import {
  assignRequestSchema,
  conversationActionResultSchema,
  handBackRequestSchema,
  idParamsSchema,
  inboxContextSchema,
  inboxDetailSchema,
  inboxListQuerySchema,
  inboxListSchema,
  inboxMessageSchema,
  inboxOptionsSchema,
  noteRequestSchema,
  staffReplyRequestSchema,
  staffReplyResultSchema,
  takeOverRequestSchema,
} from '@parley/api'
import type { Context } from 'hono'
import { z } from 'zod'
import type { RuntimeDeps } from '../deps.ts'
import type { AppEnv } from '../http/app-env.ts'
import { clientAddress } from '../http/client-ip.ts'
import { AppError, notFound } from '../http/errors.ts'
import { readJsonBody } from '../http/json-body.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'
import {
  handBackConversation,
  replyAsStaff,
  resolveConversation,
  takeOverConversation,
} from '../inbox/inbox-actions.ts'
import { loadInboxContext, loadInboxOptions } from '../inbox/inbox-context.ts'
import { listInbox, markConversationRead } from '../inbox/inbox-list.ts'
import { fetchInboundMedia } from '../inbox/inbox-media.ts'
import {
  findInboxConversation,
  findInboxMessage,
  findMessageWithChannel,
  loadInboxTranscript,
} from '../inbox/inbox-queries.ts'
import { addInternalNote, assignConversation, reopenConversation } from '../inbox/inbox-staff-actions.ts'

const mediaParamsSchema = z.object({
  id: z.uuid(),
  messageId: z.uuid(),
  index: z.coerce.number().int().min(0).max(20),
})

const tags = ['inbox']
const security = [{ session: [] }]
const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const body = <S>(schema: S) => ({ required: true, content: { 'application/json': { schema } } })
const conflictResponse = {
  409: { description: 'Not possible in the conversation’s current state', content: {} },
}

const routes = {
  list: createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    summary:
      'The inbox: a view (waiting oldest first, mine, open, resolved), filters, search, keyset pages, unread counts',
    middleware: [requireSession],
    request: { query: inboxListQuerySchema },
    responses: { 200: json(inboxListSchema, 'Conversations'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    security,
    summary: 'A conversation with its full transcript (including skipped sends and system notes)',
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: { 200: json(inboxDetailSchema, 'Conversation'), ...errorResponses },
  }),
  takeOver: createRoute({
    method: 'post',
    path: '/{id}/take-over',
    tags,
    security,
    summary: 'Assign to me; the bot stops sending to this conversation',
    middleware: [requireSession],
    // Optional body { force }: read by the handler, so an empty POST is fine.
    request: { params: idParamsSchema },
    responses: {
      200: json(conversationActionResultSchema, 'Assigned'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  reply: createRoute({
    method: 'post',
    path: '/{id}/messages',
    tags,
    security,
    summary: 'Reply as staff on the conversation’s channel (take over first)',
    middleware: [requireSession],
    request: { params: idParamsSchema, body: body(staffReplyRequestSchema) },
    responses: {
      201: json(staffReplyResultSchema, 'Queued or skipped by policy'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  handBack: createRoute({
    method: 'post',
    path: '/{id}/hand-back',
    tags,
    security,
    summary: 'Return the conversation to the bot; the flow continues after its escalation',
    middleware: [requireSession],
    // Optional body { note }: read by the handler, so an empty POST is fine.
    request: { params: idParamsSchema },
    responses: {
      200: json(conversationActionResultSchema, 'Handed back'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  media: createRoute({
    method: 'get',
    path: '/{id}/messages/{messageId}/media/{index}',
    tags,
    security,
    summary: 'A photo the shopper sent (fetched from the provider with the channel’s token)',
    middleware: [requireSession],
    request: { params: mediaParamsSchema },
    responses: {
      200: {
        description: 'The image bytes',
        content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
      },
      ...errorResponses,
    },
  }),
  options: createRoute({
    method: 'get',
    path: '/options',
    tags,
    security,
    summary: 'The queues, channels and colleagues to filter by or assign to',
    middleware: [requireSession],
    responses: { 200: json(inboxOptionsSchema, 'Options'), ...errorResponses },
  }),
  context: createRoute({
    method: 'get',
    path: '/{id}/context',
    tags,
    security,
    summary: 'The shopper, their cart and orders, the escalation and what the bot did',
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: { 200: json(inboxContextSchema, 'Context'), ...errorResponses },
  }),
  note: createRoute({
    method: 'post',
    path: '/{id}/notes',
    tags,
    security,
    summary: 'An internal note for staff (never sent to the shopper)',
    middleware: [requireSession],
    request: { params: idParamsSchema, body: body(noteRequestSchema) },
    responses: { 201: json(inboxMessageSchema, 'The note'), ...errorResponses },
  }),
  assign: createRoute({
    method: 'post',
    path: '/{id}/assign',
    tags,
    security,
    summary: 'Give the conversation to a colleague, or to a queue where it waits for a person',
    middleware: [requireSession],
    request: { params: idParamsSchema, body: body(assignRequestSchema) },
    responses: { 200: json(conversationActionResultSchema, 'Assigned'), ...errorResponses },
  }),
  reopen: createRoute({
    method: 'post',
    path: '/{id}/reopen',
    tags,
    security,
    summary: 'Open a resolved conversation again, assigned to me',
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: {
      200: json(conversationActionResultSchema, 'Reopened'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  read: createRoute({
    method: 'post',
    path: '/{id}/read',
    tags,
    security,
    summary: 'Mark the conversation read up to its newest message (for me)',
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: { 204: { description: 'Marked read' }, ...errorResponses },
  }),
  resolve: createRoute({
    method: 'post',
    path: '/{id}/resolve',
    tags,
    security,
    summary: 'Close the conversation; a flow waiting on its escalation ends as resolved by staff',
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: { 200: json(conversationActionResultSchema, 'Resolved'), ...errorResponses },
  }),
}

export function conversationRoutes(deps: RuntimeDeps) {
  const { db } = deps
  const app = createRouter()

  async function current(merchantId: string, id: string) {
    const conversation = await findInboxConversation(db, merchantId, id)
    if (!conversation) throw notFound('Conversation')
    return conversation
  }

  // Live updates for the inbox. Registered before /{id} so "socket" is not read as an id. The session cookie
  // authenticates; a page from another origin is refused (cross-site WebSocket hijacking).
  app.get(
    '/socket',
    requireSession,
    upgradeWebSocket((c) => {
      const caller = getSessionCaller(c as Context<AppEnv>)
      const origin = c.req.header('origin')
      if (origin && !sameOrigin(origin, c.req.header('host'), deps.config.PUBLIC_URL)) {
        throw new AppError(403, 'forbidden', 'WebSocket from another origin')
      }
      const address = clientAddress(c as Context<AppEnv>)
      deps.sockets.admit(address)
      const hub = deps.inboxHub
      let detach: (() => void) | undefined
      return {
        onOpen(_event, ws) {
          // Tied to the session: sign-out or expiry closes it (realtime/socket-guard.ts).
          const untrack = deps.sockets.track(ws, {
            address,
            session: { merchantId: caller.merchantId, sessionId: caller.sessionId },
          })
          if (!untrack) return
          const detachHub = hub.attach(caller.merchantId, ws)
          detach = () => {
            untrack()
            detachHub()
          }
          ws.send(JSON.stringify({ type: 'ready' }))
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
  app.get('/socket', () => {
    throw new AppError(426, 'bad_request', 'Connect with a WebSocket upgrade')
  })

  app.openapi(routes.list, async (c) => {
    const caller = getSessionCaller(c)
    return c.json(await listInbox(db, caller.merchantId, caller.userId, c.req.valid('query')), 200)
  })

  // Before /{id}, so "options" is not read as an id.
  app.openapi(routes.options, async (c) =>
    c.json(await loadInboxOptions(db, getSessionCaller(c).merchantId), 200),
  )

  app.openapi(routes.get, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    const conversation = await current(caller.merchantId, id)
    const messages = await loadInboxTranscript(db, caller.merchantId, id)
    return c.json({ conversation, messages }, 200)
  })

  app.openapi(routes.takeOver, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    const options = takeOverRequestSchema.parse(await readJsonBody(c.req.raw, { optional: true }))
    await takeOverConversation(deps, caller, id, options)
    return c.json({ conversation: await current(caller.merchantId, id), runIds: [] }, 200)
  })

  app.openapi(routes.reply, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    const result = await replyAsStaff(deps, caller, id, c.req.valid('json'))
    const message = result.messageId ? await findInboxMessage(db, caller.merchantId, result.messageId) : null
    return c.json(
      {
        duplicate: result.duplicate,
        status: result.status,
        skipReason: result.skipReason,
        message,
        cost:
          message?.cost && message.costCurrency
            ? { amount: message.cost, currency: message.costCurrency }
            : null,
      },
      201,
    )
  })

  app.openapi(routes.handBack, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    const { note } = handBackRequestSchema.parse(await readJsonBody(c.req.raw, { optional: true }))
    const runIds = await handBackConversation(deps, caller, id, note)
    return c.json({ conversation: await current(caller.merchantId, id), runIds }, 200)
  })

  app.openapi(routes.media, async (c) => {
    const caller = getSessionCaller(c)
    const { id, messageId, index } = c.req.valid('param')
    const found = await findMessageWithChannel(db, caller.merchantId, id, messageId)
    const media = (found?.body as { media?: { url?: unknown }[] } | undefined)?.media?.[index]
    if (!found || typeof media?.url !== 'string') throw notFound('Media')
    const fetched = await fetchInboundMedia(deps, found.channel, media.url)
    if (!fetched) throw notFound('Media')
    return c.body(fetched.bytes, 200, {
      'content-type': fetched.contentType,
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      // Never rendered as a page of ours: a shopper-supplied file must not run script on our origin.
      'content-security-policy': "default-src 'none'; sandbox",
    })
  })

  app.openapi(routes.context, async (c) => {
    const caller = getSessionCaller(c)
    return c.json(await loadInboxContext(db, caller.merchantId, c.req.valid('param').id), 200)
  })

  app.openapi(routes.note, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    const noteId = await addInternalNote(deps, caller, id, c.req.valid('json').text)
    const note = await findInboxMessage(db, caller.merchantId, noteId)
    if (!note) throw notFound('Note')
    return c.json(note, 201)
  })

  app.openapi(routes.assign, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    await assignConversation(deps, caller, id, c.req.valid('json'))
    return c.json({ conversation: await current(caller.merchantId, id), runIds: [] }, 200)
  })

  app.openapi(routes.reopen, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    await reopenConversation(deps, caller, id)
    return c.json({ conversation: await current(caller.merchantId, id), runIds: [] }, 200)
  })

  app.openapi(routes.read, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    await current(caller.merchantId, id)
    await markConversationRead(db, caller.merchantId, caller.userId, id, new Date(deps.clock.now()))
    return c.body(null, 204)
  })

  app.openapi(routes.resolve, async (c) => {
    const caller = getSessionCaller(c)
    const { id } = c.req.valid('param')
    const runIds = await resolveConversation(deps, caller, id)
    return c.json({ conversation: await current(caller.merchantId, id), runIds }, 200)
  })

  return app
}

function sameOrigin(origin: string, host: string | undefined, publicUrl: string | undefined): boolean {
  try {
    const url = new URL(origin)
    if (host && url.host === host) return true
    return publicUrl !== undefined && url.origin === new URL(publicUrl).origin
  } catch {
    return false
  }
}
