// The embed: <script src="https://<runtime>/widget.js" data-channel="<channelId>" async></script>
// Optional: data-title (panel heading), data-accent (CSS colour), data-open ("true" opens on load),
// data-api (the runtime's origin when the script is served from elsewhere).
// No exports: the IIFE bundle must not assign anything over window.ParleyWidget.
import { mountWidget } from './mount-widget.ts'

const current = document.currentScript
if (current instanceof HTMLScriptElement && current.dataset.channel !== undefined) {
  if (document.body) mountWidget(current)
  else document.addEventListener('DOMContentLoaded', () => mountWidget(current), { once: true })
}
