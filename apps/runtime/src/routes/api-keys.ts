// Store API keys, managed by owners: create (the key is shown once), list (prefix only), revoke.
import { createRoute } from '@hono/zod-openapi'
import {
  type ApiKeySummary,
  apiKeyListSchema,
  createApiKeyRequestSchema,
  createdApiKeySchema,
  idParamsSchema,
} from '@parley/api'
import type { ApiKey } from '@parley/db'
import { createApiKey, listApiKeys, revokeApiKey } from '../accounts/api-keys.ts'
import type { RuntimeDeps } from '../deps.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { ownerOnly } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const guard = [requireSession, ownerOnly]

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['api keys'],
  summary: "The merchant's API keys (prefixes only)",
  security: [{ session: [] }],
  middleware: guard,
  responses: {
    200: { description: 'Keys', content: { 'application/json': { schema: apiKeyListSchema } } },
    ...errorResponses,
  },
})

const create = createRoute({
  method: 'post',
  path: '/',
  tags: ['api keys'],
  summary: 'Create a key; the response is the only time the full key is shown',
  security: [{ session: [] }],
  middleware: guard,
  request: {
    body: { required: true, content: { 'application/json': { schema: createApiKeyRequestSchema } } },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: createdApiKeySchema } } },
    ...errorResponses,
  },
})

const revoke = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['api keys'],
  summary: 'Revoke a key (idempotent)',
  security: [{ session: [] }],
  middleware: guard,
  request: { params: idParamsSchema },
  responses: { 204: { description: 'Revoked' }, ...errorResponses },
})

export function toApiKeySummary(key: ApiKey): ApiKeySummary {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.created_at.toISOString(),
    lastUsedAt: key.last_used_at?.toISOString() ?? null,
    revokedAt: key.revoked_at?.toISOString() ?? null,
  }
}

export function apiKeyRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  return createRouter()
    .openapi(list, async (c) => {
      const caller = getSessionCaller(c)
      const keys = await listApiKeys(db, caller.merchantId)
      return c.json({ apiKeys: keys.map(toApiKeySummary) }, 200)
    })
    .openapi(create, async (c) => {
      const caller = getSessionCaller(c)
      const { name } = c.req.valid('json')
      const { apiKey, key } = await createApiKey(db, {
        merchantId: caller.merchantId,
        name,
        createdBy: caller.userId,
        now: new Date(clock.now()),
      })
      return c.json({ apiKey: toApiKeySummary(apiKey), key }, 201)
    })
    .openapi(revoke, async (c) => {
      const caller = getSessionCaller(c)
      const { id } = c.req.valid('param')
      if (!(await revokeApiKey(db, caller.merchantId, id, new Date(clock.now())))) throw notFound('API key')
      return c.body(null, 204)
    })
}
