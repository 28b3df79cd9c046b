// Typing indicators, both ways. Ephemeral: nothing is stored, a signal rides the realtime fan-out once and the
// receiver shows "typing…" until TYPING_EXPIRES_MS pass without another or a message from that person arrives.
//   shopper → staff: POST /api/webchat/{channelId}/typing  → InboxTypingEvent on the inbox socket
//   staff → shopper: POST /api/conversations/{id}/typing   → { type: 'typing', staff } on the visitor's socket
import { z } from 'zod'

export { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from './typing-timing.ts'

/** On the inbox socket: the shopper of this conversation is typing now. */
export const inboxTypingEventSchema = z
  .object({ type: z.literal('typing'), conversationId: z.uuid(), who: z.literal('shopper') })
  .meta({ id: 'InboxTypingEvent' })
export type InboxTypingEvent = z.infer<typeof inboxTypingEventSchema>

/** The answer to a typing signal: `published` is false when it came inside the throttle and was dropped. */
export const typingAcceptedSchema = z.object({ published: z.boolean() }).meta({ id: 'TypingAccepted' })
export type TypingAccepted = z.infer<typeof typingAcceptedSchema>
