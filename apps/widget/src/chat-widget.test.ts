import { describe, expect, it, vi } from 'vitest'
import { ChatWidget } from './chat-widget.ts'
import type { WidgetMessage } from './types.ts'
import type { WebchatClient } from './webchat-client.ts'

function fakeClient(overrides: Partial<WebchatClient> = {}): WebchatClient {
  return {
    transcript: vi.fn(async () => ({ messages: [], status: null })),
    send: vi.fn(async () => 'cm'),
    socketUrl: vi.fn(async () => 'ws://x'),
    ...overrides,
  } as unknown as WebchatClient
}

const reminder: WidgetMessage = {
  id: 'm1',
  conversationId: 'c1',
  direction: 'out',
  author: 'bot',
  body: { text: 'You left something behind', buttons: [{ id: 'buy', title: 'Complete order' }] },
  status: 'delivered',
  createdAt: '2025-06-01T10:00:00.000Z',
  seq: 1,
}

function mount(client = fakeClient()) {
  const host = document.createElement('div')
  document.body.append(host)
  return { widget: new ChatWidget(host, client, { title: 'North Thread' }), client }
}

describe('ChatWidget', () => {
  it('opens from the launcher, labels the dialog, and Esc closes it and returns focus', () => {
    const { widget } = mount()
    const launcher = widget.root.querySelector<HTMLButtonElement>('.launcher')!
    const panel = widget.root.querySelector<HTMLElement>('[role="dialog"]')!
    expect(panel.hidden).toBe(true)
    expect(launcher.getAttribute('aria-expanded')).toBe('false')
    launcher.click()
    expect(panel.hidden).toBe(false)
    expect(panel.getAttribute('aria-label')).toBe('North Thread')
    expect(launcher.getAttribute('aria-expanded')).toBe('true')
    expect(widget.root.activeElement).toBe(widget.root.querySelector('input'))
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(panel.hidden).toBe(true)
    expect(widget.root.activeElement).toBe(launcher)
  })

  it('counts unread bot messages while closed and clears them on open', () => {
    const { widget } = mount()
    widget.upsert(reminder)
    const badge = widget.root.querySelector<HTMLElement>('.badge')!
    expect(badge.hidden).toBe(false)
    expect(badge.textContent).toBe('1')
    widget.open()
    expect(badge.hidden).toBe(true)
  })

  it('renders socket messages once, in time order, with live buttons only on the latest', () => {
    const { widget } = mount()
    const later = {
      ...reminder,
      id: 'm2',
      createdAt: '2025-06-02T10:00:00.000Z',
      body: { text: 'Still there?' },
    }
    widget.handleEvent({ type: 'message', message: later })
    widget.handleEvent({ type: 'message', message: reminder })
    widget.handleEvent({ type: 'message', message: reminder })
    const items = [...widget.root.querySelectorAll('.message')]
    expect(items.map((i) => (i as HTMLElement).dataset.messageId)).toEqual(['m1', 'm2'])
    expect(widget.root.querySelector<HTMLButtonElement>('.quick-reply')?.disabled).toBe(true)
  })

  it('sends typed text and a tapped quick reply', async () => {
    const { widget, client } = mount()
    widget.setMessages([reminder])
    widget.open()
    const input = widget.root.querySelector('input')!
    input.value = 'Is it in blue?'
    widget.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.waitFor(() => expect(client.send).toHaveBeenCalledWith('Is it in blue?'))
    await vi.waitFor(() => expect(input.value).toBe(''))
    widget.root.querySelector<HTMLButtonElement>('.quick-reply')!.click()
    await vi.waitFor(() => expect(client.send).toHaveBeenCalledWith('Complete order', 'buy'))
  })

  it('says so when the transcript cannot be loaded', async () => {
    const { widget } = mount(fakeClient({ transcript: vi.fn(async () => Promise.reject(new Error('down'))) }))
    await widget.refresh()
    expect(widget.root.querySelector('[role="alert"]')?.textContent).toMatch(/unavailable/)
  })
})
