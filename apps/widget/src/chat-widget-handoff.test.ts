// The shopper's side of a handoff in the widget: who joined, staff names and avatars, typing both ways (throttled
// out, expiring in), day separators, transcript order, photos checked before upload, reconnect without duplicates.
import { BURST_MAX_WAIT_MS, TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from '@parley/api/typing-timing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ChatWidget, dayLabel } from './chat-widget.ts'
import { checkPhotoFile } from './photo-check.ts'
import type { WidgetMessage } from './types.ts'
import type { WebchatClient } from './webchat-client.ts'

function fakeClient(overrides: Partial<Record<keyof WebchatClient, unknown>> = {}) {
  return {
    transcript: vi.fn(async () => ({ messages: [], status: null })),
    send: vi.fn(async () => 'cm'),
    typing: vi.fn(async () => {}),
    sendPhoto: vi.fn(async () => 'cm'),
    photo: vi.fn(async () => new Blob(['x'], { type: 'image/png' })),
    socketUrl: vi.fn(async () => 'ws://x'),
    ...overrides,
  } as unknown as WebchatClient & Record<string, ReturnType<typeof vi.fn>>
}

let seq = 0
function msg(partial: Partial<WidgetMessage> & { body: WidgetMessage['body'] }): WidgetMessage {
  seq += 1
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    direction: 'out',
    author: 'bot',
    status: 'delivered',
    createdAt: '2026-11-30T10:00:00.000Z',
    seq,
    ...partial,
  }
}

const sam = { name: 'Sam', avatarUrl: null }

function mount(client = fakeClient()) {
  const host = document.createElement('div')
  document.body.append(host)
  const widget = new ChatWidget(host, client, { title: 'North Thread' })
  widget.open()
  return { widget, client, host }
}

const texts = (widget: ChatWidget, selector: string) =>
  [...widget.root.querySelectorAll(selector)].map((n) => n.textContent)

afterEach(() => vi.useRealTimers())

describe('ChatWidget during a handoff', () => {
  it('shows who joined as a line about the chat, names the staff replies, and the hand-back line', () => {
    const { widget } = mount()
    widget.setMessages([
      msg({
        author: 'system',
        body: { text: 'Sam from North Thread joined the chat', notice: 'staff_joined' },
        staff: sam,
      }),
      msg({
        author: 'staff',
        body: { text: 'Yes, M is in stock.' },
        staff: { name: 'Sam Rivera', avatarUrl: 'https://cdn.example/sam.png' },
      }),
      msg({ author: 'system', body: { text: "You're back with the assistant", notice: 'staff_left' } }),
    ])
    expect(texts(widget, '.notice-text')).toEqual([
      'Sam from North Thread joined the chat',
      "You're back with the assistant",
    ])
    // No picture: initials; a picture: the image.
    expect(widget.root.querySelector('.notice .staff-avatar')?.textContent).toBe('S')
    const staff = widget.root.querySelector('.from-staff')!
    expect(staff.querySelector('.author-name')?.textContent).toBe('Sam Rivera')
    expect(staff.querySelector<HTMLImageElement>('img.staff-avatar')?.src).toBe('https://cdn.example/sam.png')
  })

  it('shows the agent typing, hides it when their message arrives or after it expires', () => {
    vi.useFakeTimers()
    const { widget } = mount()
    const typing = widget.root.querySelector<HTMLElement>('.typing')!
    widget.handleEvent({ type: 'typing', staff: { name: 'Sam Rivera', avatarUrl: null } })
    expect(typing.hidden).toBe(false)
    expect(typing.textContent).toBe('SRSam Rivera is typing…')
    widget.handleEvent({
      type: 'message',
      message: msg({ author: 'staff', body: { text: 'Here' }, staff: sam }),
    })
    expect(typing.hidden).toBe(true)

    widget.handleEvent({ type: 'typing', staff: sam })
    vi.advanceTimersByTime(TYPING_EXPIRES_MS - 100)
    // A fresh signal keeps it up.
    widget.handleEvent({ type: 'typing', staff: sam })
    vi.advanceTimersByTime(200)
    expect(typing.hidden).toBe(false)
    vi.advanceTimersByTime(TYPING_EXPIRES_MS)
    expect(typing.hidden).toBe(true)
  })

  it("sends the shopper's typing only while a person is involved, at most once per throttle window", async () => {
    vi.useFakeTimers()
    const { widget, client } = mount()
    const input = widget.root.querySelector('input[type="text"]')!
    const type = () => input.dispatchEvent(new Event('input'))
    type()
    expect(client.typing).not.toHaveBeenCalled() // still with the bot
    widget.handleEvent({ type: 'conversation', conversationId: 'c1', status: 'assigned' })
    type()
    type()
    expect(client.typing).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(TYPING_THROTTLE_MS)
    type()
    expect(client.typing).toHaveBeenCalledTimes(2)
    widget.handleEvent({ type: 'conversation', conversationId: 'c1', status: 'bot' })
    vi.advanceTimersByTime(TYPING_THROTTLE_MS)
    type()
    expect(client.typing).toHaveBeenCalledTimes(2)
  })

  it('tells the bot the shopper is typing shortly after a message, so it waits for the follow-up', async () => {
    vi.useFakeTimers()
    const { widget, client } = mount()
    const input = widget.root.querySelector<HTMLInputElement>('input[type="text"]')!
    const form = widget.root.querySelector('form')!
    const type = () => input.dispatchEvent(new Event('input'))
    input.value = 'hi'
    form.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(client.send).toHaveBeenCalledWith('hi'))
    await vi.waitFor(() => expect(input.value).toBe(''))
    type()
    expect(client.typing).toHaveBeenCalledTimes(1) // still with the bot, which waits for what comes next
    type()
    expect(client.typing).toHaveBeenCalledTimes(1) // throttled
    vi.advanceTimersByTime(BURST_MAX_WAIT_MS)
    type()
    expect(client.typing).toHaveBeenCalledTimes(1) // long after the message: the bot has answered
  })

  it('orders by time then transcript seq, with a separator per day', () => {
    const { widget } = mount()
    const yesterday = '2026-11-29T18:00:00.000Z'
    const today = '2026-11-30T10:00:00.000Z'
    const a = msg({ direction: 'in', author: 'shopper', body: { text: 'hi' }, createdAt: yesterday })
    const b = msg({ body: { text: 'first reply' }, createdAt: today })
    const c = msg({ body: { text: 'second reply' }, createdAt: today })
    widget.setMessages([c, b, a])
    expect([...widget.root.querySelectorAll('.log > li')].map((n) => n.className.split(' ')[0])).toEqual([
      'day',
      'message',
      'day',
      'message',
      'message',
    ])
    expect(texts(widget, '.message-text')).toEqual(['hi', 'first reply', 'second reply'])
  })

  it('labels days in words', () => {
    const now = new Date('2026-11-30T12:00:00')
    expect(dayLabel(new Date('2026-11-30T08:00:00').toISOString(), now)).toBe('Today')
    expect(dayLabel(new Date('2026-11-29T08:00:00').toISOString(), now)).toBe('Yesterday')
    expect(dayLabel(new Date('2026-11-20T08:00:00').toISOString(), now)).toMatch(/20/)
  })

  it("labels days against the server's clock, not a device clock that is off", async () => {
    // The device says 23:30 on the 30th; the server (whose times the messages carry) is past midnight already.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-30T23:30:00'))
    const lastNight = msg({
      body: { text: 'last night' },
      createdAt: new Date('2026-11-30T22:00:00').toISOString(),
    })
    const justNow = msg({
      body: { text: 'just now' },
      createdAt: new Date('2026-12-01T00:40:00').toISOString(),
    })
    const client = fakeClient({
      transcript: vi.fn(async () => ({
        messages: [lastNight, justNow],
        status: 'bot',
        serverNow: new Date('2026-12-01T00:45:00').toISOString(),
      })),
    })
    const { widget } = mount(client)
    await widget.refresh()
    expect(texts(widget, '.day')).toEqual(['Yesterday', 'Today'])
    // Minutes later by the device: still the server's day (a socket message re-renders with the same skew).
    vi.setSystemTime(new Date('2026-11-30T23:40:00'))
    widget.handleEvent({
      type: 'message',
      message: msg({ body: { text: 'later' }, createdAt: new Date('2026-12-01T00:50:00').toISOString() }),
    })
    expect(texts(widget, '.day')).toEqual(['Yesterday', 'Today'])
  })

  it("labels days by the device's clock when the server gives no time", async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-30T23:30:00'))
    const client = fakeClient({
      transcript: vi.fn(async () => ({
        messages: [
          msg({ body: { text: 'tonight' }, createdAt: new Date('2026-11-30T22:00:00').toISOString() }),
        ],
        status: 'bot',
        serverNow: null,
      })),
    })
    const { widget } = mount(client)
    await widget.refresh()
    expect(texts(widget, '.day')).toEqual(['Today'])
  })

  it('merges a reconnect re-read with what the socket delivered, without duplicates', async () => {
    const seen = [msg({ body: { text: 'one' } }), msg({ body: { text: 'two' } })]
    const missed = msg({ author: 'staff', body: { text: 'sent while offline' }, staff: sam })
    const client = fakeClient({
      transcript: vi.fn(async () => ({ messages: [...seen, missed], status: 'assigned' })),
    })
    const { widget } = mount(client)
    for (const m of seen) widget.handleEvent({ type: 'message', message: m })
    await widget.refresh()
    widget.handleEvent({ type: 'message', message: missed })
    expect(texts(widget, '.message-text')).toEqual(['one', 'two', 'sent while offline'])
  })

  it('checks a photo before uploading it and says why one is refused', async () => {
    const { widget, client } = mount()
    const error = widget.root.querySelector<HTMLElement>('[role="alert"]')!
    await widget.sendPhoto(new File(['GIF89a'], 'cat.gif', { type: 'image/gif' }))
    expect(error.textContent).toBe('Send a JPEG, PNG, WebP or HEIC photo.')
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.jpg', { type: 'image/jpeg' })
    await widget.sendPhoto(big)
    expect(error.textContent).toMatch(/too large: photos can be up to 10 MB/)
    expect(client.sendPhoto).not.toHaveBeenCalled()

    await widget.sendPhoto(new File([new Uint8Array([1, 2, 3])], 'damage.png', { type: 'image/png' }))
    expect(client.sendPhoto).toHaveBeenCalledTimes(1)
    expect(error.hidden).toBe(true)
  })

  it('treats an untyped .heic file as HEIC', () => {
    const check = checkPhotoFile(new File([new Uint8Array([1])], 'IMG_0001.HEIC', { type: '' }))
    expect(check.ok && check.photo.type).toBe('image/heic')
  })

  it("shows the shopper's own photo, loaded with the visitor token", async () => {
    const { widget, client } = mount()
    globalThis.URL.createObjectURL ??= () => 'blob:photo'
    widget.setMessages([
      msg({
        direction: 'in',
        author: 'shopper',
        body: { text: '', media: [{ url: 'webchat-photo:p-1', mimeType: 'image/png' }] },
      }),
    ])
    expect(client.photo).toHaveBeenCalledWith('p-1')
    const img = widget.root.querySelector<HTMLImageElement>('.message-photo')!
    await vi.waitFor(() => expect(img.getAttribute('src')).toMatch(/^blob:/))
    expect(img.alt).toBe('Photo you sent')
  })
})
