// The look the owner chose on the Channels screen: brand colour, greeting and avatar; the page's data-accent wins.
import { describe, expect, it, vi } from 'vitest'
import { ChatWidget } from './chat-widget.ts'
import type { WebchatClient } from './webchat-client.ts'

const client = {
  transcript: vi.fn(async () => ({ messages: [], status: null })),
} as unknown as WebchatClient

function mount(accent?: string) {
  const host = document.createElement('div')
  document.body.append(host)
  const widget = new ChatWidget(host, client, accent ? { accent } : {})
  return { host, widget }
}

const appearance = {
  brandColor: '#aa3300',
  greeting: 'Hello from Linen & Co!',
  avatarUrl: 'https://cdn.linen.example/ana.png',
}

describe('ChatWidget appearance', () => {
  it("shows the channel's brand colour, greeting and avatar", async () => {
    const { host, widget } = mount()
    widget.start()
    widget.applyAppearance(appearance)
    await vi.waitFor(() =>
      expect(widget.root.querySelector('.empty')?.textContent).toBe('Hello from Linen & Co!'),
    )
    expect(host.style.getPropertyValue('--accent')).toBe('#aa3300')
    const avatar = widget.root.querySelector<HTMLImageElement>('.header .avatar')!
    expect(avatar.src).toBe(appearance.avatarUrl)
    expect(avatar.alt).toBe('')
  })

  it("keeps the page's own data-accent, and the defaults when the channel sets nothing", () => {
    const { host, widget } = mount('#123456')
    widget.applyAppearance({ brandColor: '#aa3300', greeting: null, avatarUrl: null })
    expect(host.style.getPropertyValue('--accent')).toBe('#123456')
    expect(widget.root.querySelector('.header .avatar')).toBeNull()
  })
})
