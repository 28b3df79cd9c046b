// The web-chat wire shapes the widget reads: the runtime's contracts from @parley/api (packages/api/src/webchat.ts),
// imported as types only, so the bundle carries no zod.
import type {
  LinkButton,
  ProductCard,
  QuickReplyButton,
  StaffIdentity,
  VisitorMessage,
  VisitorMessageBody,
  VisitorSession as VisitorSessionResponse,
  VisitorSocketEvent,
  VisitorTranscript,
} from '@parley/api'

export type { LinkButton, ProductCard, QuickReplyButton, StaffIdentity }

/** The channel-neutral body: text, an image, a product card and up to three quick replies. */
export type MessageBody = VisitorMessageBody

export type WidgetMessage = VisitorMessage

/** What the widget keeps of a session (in localStorage). */
export type VisitorSession = Pick<VisitorSessionResponse, 'token' | 'visitorId' | 'expiresAt'>

/** bot | waiting | assigned | resolved: a person is involved while waiting or assigned. */
export type ConversationStatus = NonNullable<VisitorTranscript['conversationStatus']>

/** What the socket sends. */
export type SocketEvent = VisitorSocketEvent

/** The look the owner chose on the Channels screen (GET /api/webchat/:channelId/appearance). */
export interface WidgetAppearance {
  brandColor: string | null
  greeting: string | null
  avatarUrl: string | null
}
