// The widget's UI in a shadow root: a launcher bubble and a chat panel (transcript with day separators, quick
// replies, "Sam is typing…", composer with a photo button). A full-screen sheet at phone widths (styles.ts).
// Accessible: the launcher says whether the panel is open, Esc closes it and returns focus, the transcript is a
// polite live region.
import { BURST_MAX_WAIT_MS, TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from '@parley/api/typing-timing'
import { connectLiveUpdates } from './live-updates.ts'
import { checkPhotoFile, PHOTO_ACCEPT } from './photo-check.ts'
import { renderAvatar, renderMessage } from './render-message.ts'
import { ServerClock } from './server-clock.ts'
import { widgetStyles } from './styles.ts'
import type {
  ConversationStatus,
  QuickReplyButton,
  SocketEvent,
  StaffIdentity,
  WidgetAppearance,
  WidgetMessage,
} from './types.ts'
import type { WebchatClient } from './webchat-client.ts'

export interface ChatWidgetOptions {
  title?: string
  accent?: string
  /** Opens the panel on load. */
  open?: boolean
}

const PHOTO_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="3" y="5" width="18" height="14" rx="2"/><circle cx="12" cy="12" r="3.5"/><path d="M8 5l1.5-2h5L16 5"/></svg>'

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>'

export class ChatWidget {
  readonly root: ShadowRoot
  readonly #client: WebchatClient
  readonly #messages = new Map<string, WidgetMessage>()
  /** "Today" is the runtime's today, not the device's (server-clock.ts). */
  readonly #serverClock = new ServerClock()
  readonly #launcher: HTMLButtonElement
  readonly #badge: HTMLSpanElement
  readonly #panel: HTMLDivElement
  readonly #log: HTMLOListElement
  readonly #input: HTMLInputElement
  readonly #send: HTMLButtonElement
  readonly #error: HTMLParagraphElement
  #unread = 0
  /** The first transcript load is history, not news: it does not count as unread. */
  #loaded = false
  #live: { close(): void } | undefined
  readonly #host: HTMLElement
  readonly #header: HTMLDivElement
  /** The script tag's data-accent wins over the channel's brand colour (a page may theme itself). */
  readonly #accentFixed: boolean
  #greeting = 'Hi! Ask us anything about your order or our products.'
  /** Whether a person is involved (waiting or assigned): only then does the shopper's typing go out. */
  #status: ConversationStatus | null = null
  readonly #typing: HTMLDivElement
  #typingTimer: ReturnType<typeof setTimeout> | undefined
  #typingSentAt = Number.NEGATIVE_INFINITY
  /** When the shopper last sent a message: the bot may be waiting for their follow-up (burst merge). */
  #messageSentAt = Number.NEGATIVE_INFINITY
  readonly #photoInput: HTMLInputElement
  readonly #photoButton: HTMLButtonElement
  /** Photo id → object URL: each photo is fetched once (it needs the visitor token). */
  readonly #photoUrls = new Map<string, Promise<string>>()

  constructor(host: HTMLElement, client: WebchatClient, options: ChatWidgetOptions = {}) {
    this.#client = client
    this.#host = host
    this.#accentFixed = Boolean(options.accent)
    this.root = host.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    style.textContent = widgetStyles
    if (options.accent) host.style.setProperty('--accent', options.accent)
    const title = options.title ?? 'Chat with us'

    this.#panel = document.createElement('div')
    this.#panel.className = 'panel'
    this.#panel.id = 'parley-panel'
    this.#panel.hidden = true
    this.#panel.setAttribute('role', 'dialog')
    this.#panel.setAttribute('aria-label', title)

    const header = document.createElement('div')
    header.className = 'header'
    this.#header = header
    const h2 = document.createElement('h2')
    h2.textContent = title
    const close = document.createElement('button')
    close.type = 'button'
    close.className = 'close'
    close.setAttribute('aria-label', 'Close chat')
    close.textContent = '×'
    close.addEventListener('click', () => this.close())
    header.append(h2, close)

    this.#log = document.createElement('ol')
    this.#log.className = 'log'
    this.#log.setAttribute('role', 'log')
    this.#log.setAttribute('aria-live', 'polite')
    this.#log.setAttribute('aria-label', 'Conversation')

    this.#error = document.createElement('p')
    this.#error.className = 'error'
    this.#error.setAttribute('role', 'alert')
    this.#error.hidden = true

    const form = document.createElement('form')
    form.className = 'composer'
    this.#input = document.createElement('input')
    this.#input.type = 'text'
    this.#input.placeholder = 'Type a message…'
    this.#input.setAttribute('aria-label', 'Type a message')
    this.#input.maxLength = 4096
    this.#input.autocomplete = 'off'
    this.#input.addEventListener('input', () => this.#noteTyping())
    this.#send = document.createElement('button')
    this.#send.type = 'submit'
    this.#send.className = 'send'
    this.#send.textContent = 'Send'
    this.#photoInput = document.createElement('input')
    this.#photoInput.type = 'file'
    this.#photoInput.accept = PHOTO_ACCEPT
    this.#photoInput.hidden = true
    this.#photoInput.addEventListener('change', () => {
      const file = this.#photoInput.files?.[0]
      this.#photoInput.value = ''
      if (file) void this.sendPhoto(file)
    })
    this.#photoButton = document.createElement('button')
    this.#photoButton.type = 'button'
    this.#photoButton.className = 'attach'
    this.#photoButton.setAttribute('aria-label', 'Send a photo')
    this.#photoButton.title = 'Send a photo (JPEG, PNG, WebP or HEIC, up to 10 MB)'
    this.#photoButton.innerHTML = PHOTO_ICON
    this.#photoButton.addEventListener('click', () => this.#photoInput.click())
    form.append(this.#photoButton, this.#input, this.#send)
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const text = this.#input.value.trim()
      if (text) void this.#sendText(text)
    })
    this.#typing = document.createElement('div')
    this.#typing.className = 'typing'
    this.#typing.setAttribute('aria-live', 'polite')
    this.#typing.hidden = true
    this.#panel.append(header, this.#log, this.#typing, this.#error, form, this.#photoInput)
    this.#panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation()
        this.close()
      }
    })

    this.#launcher = document.createElement('button')
    this.#launcher.type = 'button'
    this.#launcher.className = 'launcher'
    this.#launcher.setAttribute('aria-controls', this.#panel.id)
    this.#launcher.setAttribute('aria-expanded', 'false')
    this.#launcher.setAttribute('aria-label', 'Open chat')
    this.#launcher.innerHTML = CHAT_ICON
    this.#badge = document.createElement('span')
    this.#badge.className = 'badge'
    this.#badge.hidden = true
    this.#launcher.append(this.#badge)
    this.#launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open()))

    this.root.append(style, this.#panel, this.#launcher)
    this.#renderAll()
    if (options.open) this.open()
  }

  get isOpen(): boolean {
    return !this.#panel.hidden
  }

  /** Loads the transcript and starts live updates. */
  start(): void {
    void this.refresh()
    this.#live = connectLiveUpdates({
      socketUrl: () => this.#client.socketUrl(),
      refresh: () => this.refresh(),
      onEvent: (event) => this.handleEvent(event),
    })
  }

  stop(): void {
    this.#live?.close()
  }

  open(): void {
    this.#panel.hidden = false
    // At phone widths the open panel is a full-screen sheet and the launcher steps aside (styles.ts).
    this.#host.classList.add('sheet-open')
    this.#launcher.setAttribute('aria-expanded', 'true')
    this.#launcher.setAttribute('aria-label', 'Close chat')
    this.#setUnread(0)
    this.#scrollToEnd()
    this.#input.focus()
  }

  close(): void {
    if (!this.isOpen) return
    this.#panel.hidden = true
    this.#host.classList.remove('sheet-open')
    this.#launcher.setAttribute('aria-expanded', 'false')
    this.#launcher.setAttribute('aria-label', 'Open chat')
    this.#launcher.focus()
  }

  /** Re-reads the transcript (initial load, reconnect, fallback poll). */
  async refresh(): Promise<void> {
    try {
      const { messages, status, serverNow } = await this.#client.transcript()
      this.#serverClock.observe(serverNow)
      this.#status = status
      this.setMessages(messages)
      this.#showError(null)
    } catch {
      this.#showError('Chat is unavailable right now. Retrying…')
    }
  }

  handleEvent(event: SocketEvent): void {
    if (event.type === 'message') this.upsert(event.message)
    else if (event.type === 'conversation') this.#status = event.status
    else if (event.type === 'typing') this.showTyping(event.staff)
  }

  /** "Sam is typing…" until TYPING_EXPIRES_MS pass without another signal or Sam's message arrives. */
  showTyping(staff: StaffIdentity): void {
    this.#typing.replaceChildren(renderAvatar(staff), document.createTextNode(`${staff.name} is typing…`))
    this.#typing.hidden = false
    if (this.#typingTimer) clearTimeout(this.#typingTimer)
    this.#typingTimer = setTimeout(() => this.#hideTyping(), TYPING_EXPIRES_MS)
  }

  /** Uploads a photo after checking its type and size here first (the runtime checks again). */
  async sendPhoto(file: File): Promise<void> {
    const checked = checkPhotoFile(file)
    if (!checked.ok) {
      this.#showError(checked.message)
      return
    }
    this.#photoButton.disabled = true
    this.#showError(null)
    try {
      await this.#client.sendPhoto(checked.photo)
      await this.refresh()
    } catch (error) {
      this.#showError(
        error instanceof Error && 'status' in error && (error as { status: number }).status < 500
          ? error.message
          : 'Your photo was not sent. Please try again.',
      )
    } finally {
      this.#photoButton.disabled = false
    }
  }

  setMessages(messages: WidgetMessage[]): void {
    let fresh = 0
    for (const message of messages) {
      if (!this.#messages.has(message.id) && message.direction === 'out') fresh++
      this.#messages.set(message.id, message)
    }
    if (fresh > 0 && !this.isOpen && this.#loaded) this.#setUnread(this.#unread + fresh)
    this.#loaded = true
    this.#renderAll()
  }

  upsert(message: WidgetMessage): void {
    const isNew = !this.#messages.has(message.id)
    if (message.author === 'staff' || message.body?.notice) this.#hideTyping()
    this.#messages.set(message.id, message)
    if (isNew && message.direction === 'out' && !this.isOpen) this.#setUnread(this.#unread + 1)
    this.#renderAll()
  }

  /** Applies the owner's brand colour, greeting and avatar (from the Channels screen). */
  applyAppearance(appearance: WidgetAppearance): void {
    if (appearance.brandColor && !this.#accentFixed)
      this.#host.style.setProperty('--accent', appearance.brandColor)
    if (appearance.greeting) {
      this.#greeting = appearance.greeting
      if (this.#messages.size === 0) this.#renderAll()
    }
    if (appearance.avatarUrl && !this.#header.querySelector('.avatar')) {
      const avatar = document.createElement('img')
      avatar.className = 'avatar'
      avatar.alt = ''
      avatar.src = appearance.avatarUrl
      // A broken picture is dropped rather than shown as a broken-image box.
      avatar.addEventListener('error', () => avatar.remove())
      this.#header.prepend(avatar)
    }
  }

  /** The transcript's own order: time, then seq (one step writes several messages with one timestamp). */
  #ordered(): WidgetMessage[] {
    return [...this.#messages.values()].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || (a.seq ?? 0) - (b.seq ?? 0),
    )
  }

  #renderAll(): void {
    const ordered = this.#ordered()
    const last = ordered.at(-1)
    if (ordered.length === 0) {
      const empty = document.createElement('li')
      empty.className = 'empty'
      empty.textContent = this.#greeting
      this.#log.replaceChildren(empty)
      return
    }
    const items: HTMLElement[] = []
    let day = ''
    const now = new Date(this.#serverClock.now())
    for (const message of ordered) {
      const thisDay = localDay(message.createdAt)
      if (thisDay !== day) {
        day = thisDay
        items.push(daySeparator(message.createdAt, now))
      }
      items.push(
        renderMessage(message, {
          interactive: message === last && message.direction === 'out',
          onButton: (button) => void this.#tapButton(button),
          loadPhoto: (photoId, img) => this.#loadPhoto(photoId, img),
        }),
      )
    }
    this.#log.replaceChildren(...items)
    this.#scrollToEnd()
  }

  #loadPhoto(photoId: string, img: HTMLImageElement): void {
    let url = this.#photoUrls.get(photoId)
    if (!url) {
      url = this.#client.photo(photoId).then((blob) => URL.createObjectURL(blob))
      url.catch(() => this.#photoUrls.delete(photoId))
      this.#photoUrls.set(photoId, url)
    }
    url.then(
      (src) => {
        img.src = src
      },
      () => img.remove(),
    )
  }

  /**
   * Tells the runtime the shopper is typing, at most once per throttle window: the team sees it while a person is
   * involved; the bot, shortly after a message, waits for the follow-up being typed (burst merge).
   */
  #noteTyping(): void {
    const now = Date.now()
    const withPerson = this.#status === 'waiting' || this.#status === 'assigned'
    if (!withPerson && now - this.#messageSentAt >= BURST_MAX_WAIT_MS) return
    if (now - this.#typingSentAt < TYPING_THROTTLE_MS) return
    this.#typingSentAt = now
    this.#client.typing().catch(() => {})
  }

  #hideTyping(): void {
    if (this.#typingTimer) clearTimeout(this.#typingTimer)
    this.#typingTimer = undefined
    this.#typing.hidden = true
    this.#typing.replaceChildren()
  }

  async #sendText(text: string): Promise<void> {
    this.#send.disabled = true
    try {
      await this.#client.send(text)
      // The message ends the typing the bot waited for: the next keystroke is news again.
      this.#messageSentAt = Date.now()
      this.#typingSentAt = Number.NEGATIVE_INFINITY
      this.#input.value = ''
      await this.refresh()
    } catch {
      this.#showError('Your message was not sent. Please try again.')
    } finally {
      this.#send.disabled = false
      this.#input.focus()
    }
  }

  async #tapButton(button: QuickReplyButton): Promise<void> {
    try {
      await this.#client.send(button.title, button.id)
      await this.refresh()
    } catch {
      this.#showError('Your reply was not sent. Please try again.')
    }
  }

  #setUnread(count: number): void {
    this.#unread = count
    this.#badge.hidden = count === 0
    this.#badge.textContent = count > 9 ? '9+' : String(count)
    this.#badge.setAttribute('aria-label', `${count} new message${count === 1 ? '' : 's'}`)
  }

  #showError(text: string | null): void {
    this.#error.hidden = text === null
    this.#error.textContent = text ?? ''
  }

  #scrollToEnd(): void {
    this.#log.scrollTop = this.#log.scrollHeight
  }
}

/** The shopper's local calendar day of an instant, as a comparable key. */
function localDay(iso: string): string {
  const date = new Date(iso)
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`
}

/** "Today", "Yesterday", or the date ("Monday, 30 November"). */
export function dayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso)
  const yesterday = new Date(now)
  yesterday.setDate(now.getDate() - 1)
  if (localDay(iso) === localDay(now.toISOString())) return 'Today'
  if (localDay(iso) === localDay(yesterday.toISOString())) return 'Yesterday'
  return date.toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  })
}

function daySeparator(iso: string, now: Date): HTMLElement {
  const item = document.createElement('li')
  item.className = 'day'
  const label = document.createElement('span')
  label.textContent = dayLabel(iso, now)
  item.append(label)
  return item
}
