// Store API keys (POST /api/events). The secret is shown once, at creation.
import { z } from 'zod'
import { isoDateTime } from './common.ts'

export const apiKeySummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** The start of the key, e.g. "pk_live_3f9a0c1d", to tell keys apart. */
    prefix: z.string(),
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime.nullable(),
    revokedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'ApiKeySummary' })
export type ApiKeySummary = z.infer<typeof apiKeySummarySchema>

export const apiKeyListSchema = z.object({ apiKeys: z.array(apiKeySummarySchema) }).meta({ id: 'ApiKeyList' })
export type ApiKeyList = z.infer<typeof apiKeyListSchema>

export const createApiKeyRequestSchema = z
  .object({ name: z.string().trim().min(1).max(80) })
  .meta({ id: 'CreateApiKeyRequest' })
export type CreateApiKeyRequest = z.input<typeof createApiKeyRequestSchema>

export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySummarySchema,
    /** `pk_live_<prefix>_<secret>`: store it now, it is never shown again. */
    key: z.string(),
  })
  .meta({ id: 'CreatedApiKey' })
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>
