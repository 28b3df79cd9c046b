// The merchant's channels: list (any staff: flows show which channels are connected), and for owners connect,
// change, check again, disconnect, and for WhatsApp sync templates and send a test message.
import { createRoute } from '@hono/zod-openapi'
import {
  channelListSchema,
  channelSchema,
  connectChannelRequestSchema,
  errorBodySchema,
  idParamsSchema,
  sendTestMessageRequestSchema,
  sendTestMessageResultSchema,
  updateChannelRequestSchema,
} from '@parley/api'
import type { Channel } from '@parley/db'
import type { Context } from 'hono'
import {
  connectChannel,
  disconnectChannel,
  listChannels,
  sendTestMessage,
  syncWhatsAppTemplates,
  toChannelSummaries,
  updateChannel,
  verifyChannel,
} from '../channels/setup/channel-setup.ts'
import type { RuntimeDeps } from '../deps.ts'
import type { AppEnv } from '../http/app-env.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { ownerOnly } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const ownerGuard = [requireSession, ownerOnly]
const providerErrors = {
  ...errorResponses,
  422: {
    description: 'The provider refused (its own words in the message); nothing was changed',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  502: {
    description: 'The provider could not be reached; nothing was changed',
    content: { 'application/json': { schema: errorBodySchema } },
  },
}
const channelAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: channelSchema } },
})

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['channels'],
  summary: "The merchant's channels with their state and last message times",
  security: [{ session: [] }],
  middleware: [requireSession],
  responses: {
    200: { description: 'Channels', content: { 'application/json': { schema: channelListSchema } } },
    ...errorResponses,
  },
})

const connect = createRoute({
  method: 'post',
  path: '/',
  tags: ['channels'],
  summary: 'Connect a channel: the provider is checked (and its webhook registered) before anything is saved',
  security: [{ session: [] }],
  middleware: ownerGuard,
  request: {
    body: { required: true, content: { 'application/json': { schema: connectChannelRequestSchema } } },
  },
  responses: { 201: channelAnswer('Connected'), ...providerErrors },
})

const update = createRoute({
  method: 'put',
  path: '/{id}',
  tags: ['channels'],
  summary: 'Change settings or secrets (left-out secrets stay); checks the provider again and reconnects',
  security: [{ session: [] }],
  middleware: ownerGuard,
  request: {
    params: idParamsSchema,
    body: { required: true, content: { 'application/json': { schema: updateChannelRequestSchema } } },
  },
  responses: { 200: channelAnswer('Changed'), ...providerErrors },
})

const verify = createRoute({
  method: 'post',
  path: '/{id}/verify',
  tags: ['channels'],
  summary:
    "Check the channel with its provider now; a refusal shows as needs attention with the provider's words",
  security: [{ session: [] }],
  middleware: ownerGuard,
  request: { params: idParamsSchema },
  responses: { 200: channelAnswer('Checked'), ...providerErrors },
})

const disconnect = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['channels'],
  summary: 'Disconnect (Telegram: deleteWebhook); conversations and history stay',
  security: [{ session: [] }],
  middleware: ownerGuard,
  request: { params: idParamsSchema },
  responses: { 200: channelAnswer('Disconnected'), ...errorResponses },
})

const syncTemplates = createRoute({
  method: 'post',
  path: '/{id}/templates/sync',
  tags: ['channels'],
  summary: "WhatsApp: read the account's message templates from Meta and keep them",
  security: [{ session: [] }],
  middleware: ownerGuard,
  request: { params: idParamsSchema },
  responses: { 200: channelAnswer('Synced'), ...providerErrors },
})

const testMessage = createRoute({
  method: 'post',
  path: '/{id}/test-message',
  tags: ['channels'],
  summary: "WhatsApp: send Meta's hello_world template to a number",
  security: [{ session: [] }],
  middleware: ownerGuard,
  request: {
    params: idParamsSchema,
    body: { required: true, content: { 'application/json': { schema: sendTestMessageRequestSchema } } },
  },
  responses: {
    200: { description: 'Sent', content: { 'application/json': { schema: sendTestMessageResultSchema } } },
    ...providerErrors,
  },
})

/** The address providers and shoppers' browsers reach this runtime at. */
function publicBase(deps: RuntimeDeps, c: Context<AppEnv>): string {
  return deps.config.PUBLIC_URL ?? new URL(c.req.url).origin
}

export function channelRoutes(deps: RuntimeDeps) {
  const summary = async (c: Context<AppEnv>, merchantId: string, channel: Channel) => {
    const [answer] = await toChannelSummaries(deps, merchantId, [channel], publicBase(deps, c))
    return answer!
  }
  return createRouter()
    .openapi(list, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const channels = await listChannels(deps, merchantId)
      return c.json(
        { channels: await toChannelSummaries(deps, merchantId, channels, publicBase(deps, c)) },
        200,
      )
    })
    .openapi(connect, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const channel = await connectChannel(deps, merchantId, c.req.valid('json'), publicBase(deps, c))
      return c.json(await summary(c, merchantId, channel), 201)
    })
    .openapi(update, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { id } = c.req.valid('param')
      const channel = await updateChannel(deps, merchantId, id, c.req.valid('json'), publicBase(deps, c))
      return c.json(await summary(c, merchantId, channel), 200)
    })
    .openapi(verify, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const channel = await verifyChannel(deps, merchantId, c.req.valid('param').id)
      return c.json(await summary(c, merchantId, channel), 200)
    })
    .openapi(disconnect, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const channel = await disconnectChannel(deps, merchantId, c.req.valid('param').id)
      return c.json(await summary(c, merchantId, channel), 200)
    })
    .openapi(syncTemplates, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const channel = await syncWhatsAppTemplates(deps, merchantId, c.req.valid('param').id)
      return c.json(await summary(c, merchantId, channel), 200)
    })
    .openapi(testMessage, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const messageId = await sendTestMessage(
        deps,
        merchantId,
        c.req.valid('param').id,
        c.req.valid('json').to,
      )
      return c.json({ messageId }, 200)
    })
}
