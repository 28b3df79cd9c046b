// Canned replies: answers the merchant writes once; agents insert them in the inbox composer by typing `/`.
import { z } from 'zod'
import { isoDateTime } from './common.ts'

export const cannedReplyInputSchema = z
  .object({
    /** What the agent types after `/` to find it, e.g. "Returns policy". */
    title: z.string().trim().min(1).max(80),
    body: z.string().trim().min(1).max(4096),
  })
  .meta({ id: 'CannedReplyInput' })

export const cannedReplySchema = cannedReplyInputSchema
  .extend({ id: z.uuid(), createdAt: isoDateTime, updatedAt: isoDateTime })
  .meta({ id: 'CannedReply' })

export const cannedReplyListSchema = z
  .object({ cannedReplies: z.array(cannedReplySchema) })
  .meta({ id: 'CannedReplyList' })

export type CannedReplyInput = z.infer<typeof cannedReplyInputSchema>
export type CannedReplyDto = z.infer<typeof cannedReplySchema>
