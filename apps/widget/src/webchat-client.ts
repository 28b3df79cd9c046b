// The visitor's side of the runtime's web-chat routes: a session (token kept in localStorage per channel),
// the transcript, sending text or a button tap, and the socket URL. The token is the visitor's only key.
import type { ConversationStatus, VisitorSession, WidgetAppearance, WidgetMessage } from './types.ts'

export interface WebchatClientOptions {
  /** The runtime's origin, e.g. https://chat.example.com */
  baseUrl: string
  channelId: string
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null
  fetch?: typeof fetch
}

export class WebchatError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** localStorage key of a channel's session. */
export function sessionStorageKey(channelId: string): string {
  return `parley.webchat.${channelId}`
}

export class WebchatClient {
  readonly #base: string
  readonly #channelId: string
  readonly #storage: WebchatClientOptions['storage']
  readonly #fetch: typeof fetch
  #session: Promise<VisitorSession> | undefined

  constructor(options: WebchatClientOptions) {
    this.#base = `${options.baseUrl.replace(/\/+$/, '')}/api/webchat/${encodeURIComponent(options.channelId)}`
    this.#channelId = options.channelId
    this.#storage = options.storage === undefined ? safeLocalStorage() : options.storage
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init))
  }

  /** The stored session, if any (no network). */
  storedSession(): VisitorSession | null {
    const raw = this.#read()
    if (!raw) return null
    try {
      const parsed = JSON.parse(raw) as Partial<VisitorSession>
      if (typeof parsed.token === 'string' && typeof parsed.visitorId === 'string') {
        return { token: parsed.token, visitorId: parsed.visitorId, expiresAt: String(parsed.expiresAt ?? '') }
      }
    } catch {
      // A corrupt entry is replaced by a new session.
    }
    return null
  }

  /**
   * The visitor's session: the stored token refreshed once per page load (same visitor id while it is
   * valid), or a new visitor when there is none or it was refused.
   */
  session(): Promise<VisitorSession> {
    this.#session ??= this.#startSession().catch((error: unknown) => {
      this.#session = undefined
      throw error
    })
    return this.#session
  }

  /** How the owner set the chat to look on the Channels screen; null fields when unset. */
  async appearance(): Promise<WidgetAppearance> {
    const response = await this.#fetch(`${this.#base}/appearance`, { method: 'GET' })
    if (!response.ok) throw new WebchatError(response.status, await errorMessage(response))
    return (await response.json()) as WidgetAppearance
  }

  async listMessages(): Promise<WidgetMessage[]> {
    return (await this.transcript()).messages
  }

  /** The transcript, whether a person is involved (status waiting or assigned), and the server's time then. */
  async transcript(): Promise<{
    messages: WidgetMessage[]
    status: ConversationStatus | null
    serverNow: string | null
  }> {
    const response = await this.#authorised('/messages', { method: 'GET' })
    const data = (await response.json()) as {
      messages?: WidgetMessage[]
      conversationStatus?: ConversationStatus | null
      now?: string
    }
    return {
      messages: data.messages ?? [],
      status: data.conversationStatus ?? null,
      serverNow: data.now ?? null,
    }
  }

  /** Tells the team the shopper is typing (the caller throttles; the runtime drops extras anyway). */
  async typing(): Promise<void> {
    await this.#authorised('/typing', { method: 'POST' })
  }

  /** Sends a photo (its type and size checked by the caller first; the runtime checks again). */
  async sendPhoto(photo: Blob, clientMessageId = newClientMessageId()): Promise<string> {
    await this.#authorised(`/photos?clientMessageId=${encodeURIComponent(clientMessageId)}`, {
      method: 'POST',
      headers: { 'Content-Type': photo.type },
      body: photo,
    })
    return clientMessageId
  }

  /** A photo the visitor sent, as a blob (it needs the token, so an <img src> cannot fetch it itself). */
  async photo(photoId: string): Promise<Blob> {
    const response = await this.#authorised(`/photos/${encodeURIComponent(photoId)}`, { method: 'GET' })
    return response.blob()
  }

  /** Sends text, or a quick-reply tap (its title as the text). Retries reuse the client message id. */
  async send(text: string, buttonId?: string, clientMessageId = newClientMessageId()): Promise<string> {
    await this.#authorised('/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(buttonId ? { clientMessageId, text, buttonId } : { clientMessageId, text }),
    })
    return clientMessageId
  }

  async socketUrl(): Promise<string> {
    const { token } = await this.session()
    const url = new URL(`${this.#base}/socket`, globalThis.location?.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    url.searchParams.set('token', token)
    return url.toString()
  }

  async #startSession(): Promise<VisitorSession> {
    const stored = this.storedSession()
    const response = await this.#fetch(`${this.#base}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(stored ? { token: stored.token } : {}),
    })
    if (!response.ok) throw new WebchatError(response.status, await errorMessage(response))
    const data = (await response.json()) as VisitorSession
    const session = { token: data.token, visitorId: data.visitorId, expiresAt: data.expiresAt }
    this.#write(JSON.stringify(session))
    return session
  }

  /** A request with the visitor token; a 401 (expired or foreign token) starts a new session once. */
  async #authorised(path: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const { token } = await this.session()
      const headers = new Headers(init.headers)
      headers.set('Authorization', `Bearer ${token}`)
      const response = await this.#fetch(`${this.#base}${path}`, { ...init, headers })
      if (response.ok) return response
      if (response.status === 401 && attempt === 0) {
        this.#remove()
        this.#session = undefined
        continue
      }
      throw new WebchatError(response.status, await errorMessage(response))
    }
  }

  #read(): string | null {
    try {
      return this.#storage?.getItem(sessionStorageKey(this.#channelId)) ?? null
    } catch {
      return null
    }
  }

  #write(value: string): void {
    try {
      this.#storage?.setItem(sessionStorageKey(this.#channelId), value)
    } catch {
      // Private mode or a full quota: the session lasts for this page only.
    }
  }

  #remove(): void {
    try {
      this.#storage?.removeItem(sessionStorageKey(this.#channelId))
    } catch {
      // Nothing stored to remove.
    }
  }
}

export function newClientMessageId(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`
  return random.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64)
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const data = (await response.json()) as { error?: { message?: string } }
    return data.error?.message ?? `HTTP ${response.status}`
  } catch {
    return `HTTP ${response.status}`
  }
}
