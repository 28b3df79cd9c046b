// Shopify's privacy requests as the owner sees them, and the export a customer data request produced (downloaded
// as JSON; the owner sends it on to the shopper). Owner only: it is a shopper's personal data.
import { z } from 'zod'
import { isoDateTime } from './common.ts'

export const privacyTopicSchema = z
  .enum(['customers/data_request', 'customers/redact', 'shop/redact'])
  .meta({ id: 'PrivacyTopic' })

export const privacyRequestSummarySchema = z
  .object({
    id: z.uuid(),
    topic: privacyTopicSchema,
    /** The shopper's id at Shopify (never their name or email: a redacted shopper leaves none behind). */
    shopifyCustomerId: z.string().nullable(),
    receivedAt: isoDateTime,
    /** A data request's export, ready to download. */
    hasExport: z.boolean(),
  })
  .meta({ id: 'PrivacyRequestSummary' })
export type PrivacyRequestSummary = z.infer<typeof privacyRequestSummarySchema>

export const privacyRequestListSchema = z
  .object({ requests: z.array(privacyRequestSummarySchema) })
  .meta({ id: 'PrivacyRequestList' })
export type PrivacyRequestList = z.infer<typeof privacyRequestListSchema>

/** Everything held about the shopper: contact records, conversations with every message, carts and orders. */
export const privacyExportSchema = z
  .object({
    shop: z.string().nullable(),
    shopifyCustomerId: z.string().nullable(),
    contacts: z.array(z.record(z.string(), z.unknown())),
    conversations: z.array(z.record(z.string(), z.unknown())),
    carts: z.array(z.record(z.string(), z.unknown())),
    orders: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'PrivacyExport' })
export type PrivacyExport = z.infer<typeof privacyExportSchema>
