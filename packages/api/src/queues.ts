// Escalation queues (owner only): where an escalate node hands a chat (sales, support, returns, ...), what the
// shopper is told at once, and what happens when nobody takes it in time. Read and replaced whole.
import { z } from 'zod'
import { businessHoursSchema } from './settings.ts'

/** The words an acknowledgement may use, filled in when it is sent. */
export const queuePlaceholders = {
  acknowledgement: ['reply_time', 'queue'],
  acknowledgementClosed: ['opens_at', 'queue'],
  fallbackMessage: ['queue'],
} as const

function onlyKnownPlaceholders(allowed: readonly string[]) {
  return (text: string) =>
    [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].every((m) => allowed.includes(m[1] ?? ''))
}

function queueText(field: keyof typeof queuePlaceholders, what: string) {
  const allowed = queuePlaceholders[field]
  return z
    .string()
    .trim()
    .min(1, `Write the ${what}`)
    .max(1000, `Keep the ${what} under 1,000 characters`)
    .refine(onlyKnownPlaceholders(allowed), {
      message: `The ${what} can only fill in ${allowed.map((p) => `{{${p}}}`).join(' and ')}`,
    })
}

export const escalationQueueSchema = z
  .object({
    /** What an escalate node names; lower-case letters, digits, - and _. */
    key: z
      .string()
      .trim()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,39}$/,
        'Use lower-case letters, digits, - or _ (at most 40), e.g. returns',
      ),
    name: z.string().trim().min(1, 'Give the queue a name').max(60, 'Keep the name under 60 characters'),
    /** Null = the store's business hours (Settings → Messaging rules). */
    businessHours: businessHoursSchema.nullable(),
    /** The reply time promised inside business hours, in minutes. */
    replyWithinMinutes: z
      .number()
      .int('Use a whole number of minutes')
      .min(1, 'Promise a reply within at least 1 minute')
      .max(7 * 24 * 60, 'At most 7 days'),
    /** Sent at once inside business hours; {{reply_time}} becomes e.g. "15 minutes". */
    acknowledgement: queueText('acknowledgement', 'acknowledgement'),
    /** Sent at once outside business hours; {{opens_at}} becomes e.g. "tomorrow at 09:00". */
    acknowledgementClosed: queueText('acknowledgementClosed', 'message for outside business hours'),
    /** Nobody takes the chat within this many minutes → the fallback is sent and the bot takes it back. */
    unclaimedTimeoutMinutes: z
      .number()
      .int('Use a whole number of minutes')
      .min(1, 'Wait at least 1 minute')
      .max(24 * 60, 'Wait at most 24 hours (1,440 minutes)'),
    fallbackMessage: queueText('fallbackMessage', 'fallback message'),
  })
  .meta({ id: 'EscalationQueue' })
export type EscalationQueueSetting = z.infer<typeof escalationQueueSchema>

export const escalationQueuesSchema = z
  .object({
    queues: z
      .array(escalationQueueSchema)
      .min(1, 'Keep at least one queue')
      .max(20, 'At most 20 queues')
      .superRefine((queues, ctx) => {
        const seen = new Set<string>()
        queues.forEach((queue, index) => {
          if (seen.has(queue.key)) {
            ctx.addIssue({
              code: 'custom',
              message: `Two queues are called "${queue.key}": each needs its own`,
              path: [index, 'key'],
            })
          }
          seen.add(queue.key)
        })
      }),
  })
  .meta({ id: 'EscalationQueues' })
export type EscalationQueuesInput = z.input<typeof escalationQueuesSchema>

export const escalationQueuesResponseSchema = z
  .object({
    queues: z.array(escalationQueueSchema),
    /** What a merchant who never saved queues gets (and what a queue a flow names but nobody defined uses). */
    defaults: z.array(escalationQueueSchema),
    /** The store's own hours, used by queues without their own. */
    storeBusinessHours: businessHoursSchema.nullable(),
    timezone: z.string(),
  })
  .meta({ id: 'EscalationQueuesResponse' })
export type EscalationQueuesResponse = z.infer<typeof escalationQueuesResponseSchema>
