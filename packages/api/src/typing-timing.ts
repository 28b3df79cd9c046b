// How "is typing…" behaves on both sides of a chat, shared by the runtime, the inbox and the widget. No zod here:
// the widget imports this module itself (`@parley/api/typing-timing`) and must not bundle the schemas.

/** A typing signal is sent at most this often per person and conversation (the runtime drops the extras). */
export const TYPING_THROTTLE_MS = 2_500

/** An indicator with no fresh signal for this long disappears (a closed tab sends no "stopped typing"). */
export const TYPING_EXPIRES_MS = 6_000

/**
 * Burst merge: however long the shopper keeps typing, the bot answers a burst of quick messages at most this long
 * after its first one. The widget tells the runtime about typing to the bot only this long after a message.
 */
export const BURST_MAX_WAIT_MS = 10_000
