// Mounts the widget for one <script data-channel> tag and publishes window.ParleyWidget: open(), close() and
// session() (the visitor's id and token, e.g. for the store's own cart events).
import { ChatWidget } from './chat-widget.ts'
import type { VisitorSession } from './types.ts'
import { WebchatClient } from './webchat-client.ts'

export interface ParleyWidgetApi {
  open(): void
  close(): void
  session(): Promise<VisitorSession>
}

declare global {
  interface Window {
    ParleyWidget?: ParleyWidgetApi
  }
}

export function mountWidget(script: HTMLScriptElement): ParleyWidgetApi | null {
  const channelId = script.dataset.channel
  if (!channelId) {
    console.error('Parley widget: add data-channel="<channel id>" to the script tag')
    return null
  }
  const baseUrl = script.dataset.api ?? new URL(script.src, document.baseURI).origin
  const client = new WebchatClient({ baseUrl, channelId })
  const host = document.createElement('div')
  host.setAttribute('data-parley-widget', '')
  document.body.append(host)
  const widget = new ChatWidget(host, client, {
    title: script.dataset.title,
    accent: script.dataset.accent,
    open: script.dataset.open === 'true',
  })
  widget.start()
  // The look chosen on the Channels screen; the default look stays if it cannot be read.
  void client.appearance().then(
    (appearance) => widget.applyAppearance(appearance),
    () => {},
  )
  const api: ParleyWidgetApi = {
    open: () => widget.open(),
    close: () => widget.close(),
    session: () => client.session(),
  }
  window.ParleyWidget = api
  void client.session().then(
    (session) =>
      window.dispatchEvent(new CustomEvent('parley:ready', { detail: { visitorId: session.visitorId } })),
    () => {},
  )
  return api
}
