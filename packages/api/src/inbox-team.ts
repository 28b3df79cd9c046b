// What an agent chooses from in the inbox: the queues, channels and colleagues to filter by or assign to, and
// the bodies of the note, assign and read requests.
import { z } from 'zod'

export const inboxOptionsSchema = z
  .object({
    /** Queues conversations were escalated to, by name. */
    queues: z.array(z.string()),
    channels: z.array(
      z.object({
        id: z.uuid(),
        kind: z.enum(['webchat', 'whatsapp', 'telegram', 'shopify']),
        name: z.string(),
      }),
    ),
    /** Everyone who can answer conversations (owners, editors and agents who are not disabled). */
    staff: z.array(z.object({ id: z.uuid(), name: z.string() })),
  })
  .meta({ id: 'InboxOptions' })

export const noteRequestSchema = z
  .object({ text: z.string().trim().min(1).max(4096) })
  .meta({ id: 'NoteRequest' })

/** Exactly one of: a colleague (the conversation becomes theirs) or a queue (it waits there for a person). */
export const assignRequestSchema = z
  .union([
    z.object({ userId: z.uuid() }).strict(),
    z.object({ queue: z.string().trim().min(1).max(100) }).strict(),
  ])
  .meta({ id: 'AssignRequest' })

export type InboxOptions = z.infer<typeof inboxOptionsSchema>
export type AssignRequest = z.infer<typeof assignRequestSchema>
