// Optional AI answers (owner only): the merchant's OpenAI-compatible endpoint that words product answers from
// the catalogue facts. Off by default. The key is write-only: answers show whether it is set and its last 4
// characters, never the key.
import { z } from 'zod'
import { budgetCurrencySchema } from './settings.ts'

const urlSchema = z
  .string()
  .trim()
  .max(500, 'At most 500 characters')
  .refine((text) => {
    if (text === '') return true
    try {
      const url = new URL(text)
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
    } catch {
      return false
    }
  }, 'Use a web address such as https://api.openai.com/v1')

const pricePer1kSchema = z.number().min(0, 'Use 0 or more').max(1000, 'At most 1,000 per 1,000 tokens')

export const aiAnswersSettingsInputSchema = z
  .object({
    enabled: z.boolean(),
    /** e.g. https://api.openai.com/v1; `/chat/completions` is appended. */
    baseUrl: urlSchema,
    model: z.string().trim().max(200, 'At most 200 characters'),
    /** A new key; omitted keeps the stored one. */
    apiKey: z.string().trim().min(1, 'Enter the key').max(1000, 'At most 1,000 characters').optional(),
    /** Forget the stored key (AI answers then stay off until a new one is given). */
    removeApiKey: z.boolean().optional(),
    inputPricePer1k: pricePer1kSchema,
    outputPricePer1k: pricePer1kSchema,
    currency: budgetCurrencySchema,
    /** Ask for a streamed answer (server-sent events); off: one JSON answer. */
    stream: z.boolean(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.enabled) return
    if (s.baseUrl === '')
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'Enter the endpoint address' })
    if (s.model === '') ctx.addIssue({ code: 'custom', path: ['model'], message: 'Enter the model name' })
  })
export type AiAnswersSettingsInput = z.infer<typeof aiAnswersSettingsInputSchema>

export const aiAnswersSettingsSchema = z.object({
  enabled: z.boolean(),
  baseUrl: z.string(),
  model: z.string(),
  apiKey: z.object({ set: z.boolean(), last4: z.string() }),
  inputPricePer1k: z.number(),
  outputPricePer1k: z.number(),
  currency: budgetCurrencySchema,
  stream: z.boolean(),
})
export type AiAnswersSettings = z.infer<typeof aiAnswersSettingsSchema>

/** What AI answers cost and did over a period (the month so far on the Settings screen). */
export const aiAnswersUsageSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Answer attempts: the AI was asked. */
  attempts: z.number().int(),
  /** The shopper got the AI's words. */
  answered: z.number().int(),
  /** The catalogue answer was used instead (slow, down, refused, or a claim not in the facts). */
  fallbacks: z.number().int(),
  /** Shoppers' replies the rules could not place, read by the AI for their intent (their tokens are in the cost). */
  intentChecks: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cost: z.number(),
  currency: z.string(),
})
export type AiAnswersUsage = z.infer<typeof aiAnswersUsageSchema>

export const aiAnswersResponseSchema = z.object({
  settings: aiAnswersSettingsSchema,
  usage: aiAnswersUsageSchema,
})
export type AiAnswersResponse = z.infer<typeof aiAnswersResponseSchema>

/** Test the connection with the form as it is (saved or not); an omitted key means the stored one. */
export const aiAnswersTestInputSchema = z
  .object({
    baseUrl: urlSchema.refine((t) => t !== '', 'Enter the endpoint address'),
    model: z.string().trim().min(1, 'Enter the model name').max(200, 'At most 200 characters'),
    apiKey: z.string().trim().min(1, 'Enter the key').max(1000, 'At most 1,000 characters').optional(),
    stream: z.boolean(),
  })
  .strict()
export type AiAnswersTestInput = z.infer<typeof aiAnswersTestInputSchema>

export const aiAnswersTestResultSchema = z.object({
  ok: z.boolean(),
  /** What happened, in plain words ("The model answered in 0.4 s: …", "Rate limited (429)…"). */
  message: z.string(),
  latencyMs: z.number().int(),
})
export type AiAnswersTestResult = z.infer<typeof aiAnswersTestResultSchema>
