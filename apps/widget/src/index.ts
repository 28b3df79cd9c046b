// The embed: <script src="https://<runtime>/widget.js" data-channel="<channelId>" async></script>
// Optional: data-title (panel heading), data-accent (CSS colour), data-open ("true" opens on load),
// data-api (the runtime's origin when the script is served from elsewhere).
// window.ParleyWidget gives the page open(), close() and session() (the visitor's id and token).
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

const current = document.currentScript
if (current instanceof HTMLScriptElement && current.dataset.channel !== undefined) {
  if (document.body) mountWidget(current)
  else document.addEventListener('DOMContentLoaded', () => mountWidget(current), { once: true })
}
