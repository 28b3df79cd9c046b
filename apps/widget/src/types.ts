// The web-chat wire shapes the widget reads, as the runtime sends them (channels/webchat/transcript.ts).

export interface ProductCard {
  title: string
  imageUrl?: string
  price?: number | string
  currency?: string
  url?: string
}

export interface QuickReplyButton {
  id: string
  title: string
}

/** The channel-neutral body: text, an image, a product card and up to three quick replies. */
export interface MessageBody {
  text?: string
  imageUrl?: string
  product?: ProductCard
  buttons?: QuickReplyButton[]
  buttonId?: string
}

export interface WidgetMessage {
  id: string
  conversationId?: string
  direction: 'in' | 'out'
  author: string
  body: MessageBody
  status: string
  createdAt: string
}

export interface VisitorSession {
  token: string
  visitorId: string
  expiresAt: string
}

/** What the socket sends. */
export type SocketEvent =
  | { type: 'ready'; visitorId: string }
  | { type: 'message'; message: WidgetMessage }
  | { type: 'conversation'; conversationId: string; status: string }

/** The look the owner chose on the Channels screen (GET /api/webchat/:channelId/appearance). */
export interface WidgetAppearance {
  brandColor: string | null
  greeting: string | null
  avatarUrl: string | null
}
