// The one error shape every API failure answers with: { error: { code, message, details? } }.
import { z } from 'zod'

export const errorCodeSchema = z.enum([
  'bad_request',
  'invalid_json',
  'validation_failed',
  'invalid_document',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'flow_invalid',
  'unsupported_media_type',
  'rate_limited',
  /** Another staff member took the conversation first; `details.by.name` says who. */
  'taken',
  /** A staff reply on WhatsApp more than 24 hours after the shopper last wrote, without an approved template. */
  'outside_window',
  /** A provider (Meta, Telegram, Shopify) refused what we asked; the message carries its own words. */
  'provider_rejected',
  'internal',
])
export type ErrorCode = z.infer<typeof errorCodeSchema>

export const errorBodySchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' })
export type ErrorBody = z.infer<typeof errorBodySchema>

/** `details` of validation_failed: one entry per offending field. */
export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() })
export type FieldIssue = z.infer<typeof fieldIssueSchema>
