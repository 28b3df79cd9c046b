// The widget's CSS, scoped by its shadow root: the store's styles cannot reach in and ours cannot leak out.
export const widgetStyles = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
*, *::before, *::after { box-sizing: border-box; }
button { font: inherit; }
.launcher { width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer; background: var(--accent, #2f4858);
  color: #fff; box-shadow: 0 6px 20px rgba(0,0,0,.22); display: grid; place-items: center; position: relative; margin-left: auto; }
.launcher:hover { filter: brightness(1.1); }
.launcher svg { width: 26px; height: 26px; }
.badge { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
  background: #d1242f; color: #fff; font-size: 12px; font-weight: 600; line-height: 20px; text-align: center; }
.badge[hidden] { display: none; }
.panel { position: absolute; right: 0; bottom: 72px; width: min(370px, calc(100vw - 40px)); height: min(560px, calc(100vh - 110px));
  background: #fff; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; }
.panel[hidden] { display: none; }
.header { display: flex; align-items: center; gap: 10px; padding: 14px 16px; background: var(--accent, #2f4858); color: #fff; }
.header .avatar { width: 32px; height: 32px; border-radius: 50%; object-fit: cover; flex: none; background: rgba(255,255,255,.2); }
.header h2 { font-size: 15px; font-weight: 600; margin: 0; flex: 1; }
.header .status { font-size: 12px; opacity: .85; }
.close { border: 0; background: transparent; color: inherit; width: 32px; height: 32px; border-radius: 8px; cursor: pointer; font-size: 20px; line-height: 1; }
.close:hover { background: rgba(255,255,255,.15); }
.log { list-style: none; margin: 0; padding: 14px 12px; flex: 1; overflow-y: auto; background: #f6f7f9; display: flex; flex-direction: column; gap: 10px; }
.empty { color: #656d76; text-align: center; margin: auto 16px; }
.message { display: flex; flex-direction: column; max-width: 85%; }
.from-store { align-self: flex-start; align-items: flex-start; }
.from-visitor { align-self: flex-end; align-items: flex-end; }
.bubble { padding: 8px 12px; border-radius: 14px; background: #fff; border: 1px solid #e3e6ea; overflow-wrap: anywhere; }
.from-visitor .bubble { background: var(--accent, #2f4858); color: #fff; border-color: transparent; }
.from-staff .bubble { border-color: #b6d4fe; background: #eef5ff; }
.message-text { margin: 0; white-space: pre-wrap; }
.message-image { display: block; max-width: 100%; border-radius: 10px; margin-bottom: 6px; }
.product-carousel { display: flex; gap: 8px; overflow-x: auto; scroll-snap-type: x mandatory; margin-top: 8px; padding-bottom: 4px; }
.product-carousel .product-card { flex: 0 0 150px; flex-direction: column; align-items: stretch; margin-top: 0; scroll-snap-align: start; }
.product-carousel .product-image { width: 100%; height: 110px; }
.product-card { display: flex; gap: 10px; align-items: center; margin-top: 8px; padding: 8px; border-radius: 10px; background: #f6f7f9; color: #1f2328; }
.product-image { width: 64px; height: 64px; object-fit: cover; border-radius: 8px; flex: none; background: #eee; }
.product-info { min-width: 0; }
.product-info p { margin: 0; }
.product-title { font-weight: 600; }
.product-price { color: #424a53; }
.message-link { color: inherit; text-decoration: underline; overflow-wrap: anywhere; }
.product-link { color: var(--accent, #2f4858); font-weight: 600; text-decoration: underline; }
.quick-replies { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.quick-reply { border: 1px solid var(--accent, #2f4858); color: var(--accent, #2f4858); background: #fff; border-radius: 999px;
  padding: 5px 12px; cursor: pointer; }
.quick-reply:hover:not(:disabled) { background: var(--accent, #2f4858); color: #fff; }
.quick-reply:disabled { opacity: .45; cursor: default; }
.message-time { font-size: 11px; color: #8c959f; margin: 2px 4px 0; }
.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e3e6ea; background: #fff; }
.composer input { flex: 1; min-width: 0; font: inherit; font-size: 16px; padding: 8px 12px; border: 1px solid #d0d7de; border-radius: 999px; outline: none; }
.composer input:focus { border-color: var(--accent, #2f4858); box-shadow: 0 0 0 3px rgba(47,72,88,.18); }
.send { border: 0; border-radius: 999px; padding: 0 16px; background: var(--accent, #2f4858); color: #fff; cursor: pointer; font-weight: 600; }
.send:disabled { opacity: .5; cursor: default; }
.error { margin: 0; padding: 6px 12px; background: #fff1f0; color: #a40e26; font-size: 12px; }
.error[hidden] { display: none; }
:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
.attach { flex: none; width: 38px; border: 1px solid #d0d7de; border-radius: 50%; background: #fff; color: #424a53; cursor: pointer;
  display: grid; place-items: center; padding: 0; }
.attach svg { width: 20px; height: 20px; }
.attach:hover:not(:disabled) { border-color: var(--accent, #2f4858); color: var(--accent, #2f4858); }
.attach:disabled { opacity: .5; cursor: default; }
.day { align-self: center; font-size: 12px; color: #656d76; display: flex; align-items: center; gap: 8px; width: 100%; }
.day::before, .day::after { content: ''; flex: 1; border-top: 1px solid #e3e6ea; }
.notice { align-self: center; display: flex; align-items: center; gap: 6px; max-width: 90%; font-size: 12.5px; color: #424a53;
  background: #eaeef2; border-radius: 999px; padding: 4px 12px 4px 4px; text-align: center; }
.notice:not(:has(.staff-avatar)) { padding-left: 12px; }
.author { display: flex; align-items: center; gap: 6px; margin: 0 4px 3px; font-size: 12px; color: #424a53; font-weight: 600; }
.staff-avatar { width: 22px; height: 22px; border-radius: 50%; object-fit: cover; flex: none; display: inline-grid; place-items: center;
  background: var(--accent, #2f4858); color: #fff; font-size: 10px; font-weight: 700; }
.typing { display: flex; align-items: center; gap: 6px; padding: 4px 14px 6px; font-size: 12.5px; color: #656d76; background: #f6f7f9; }
.typing[hidden] { display: none; }
.link-button { display: block; margin-top: 8px; padding: 8px 12px; border-radius: 10px; text-align: center; font-weight: 600;
  text-decoration: none; background: var(--accent, #2f4858); color: #fff; }
.link-button:hover { filter: brightness(1.1); }
.message-photo { min-width: 120px; min-height: 80px; background: #e3e6ea; }
/* Phones: the open chat is a full-screen sheet (no floating card to pinch around), the launcher hides behind it. */
@media (max-width: 480px) {
  .panel { position: fixed; inset: 0; width: 100%; height: 100%; height: 100dvh; border-radius: 0; bottom: 0; right: 0; }
  :host(.sheet-open) .launcher { display: none; }
  .composer { padding-bottom: max(10px, env(safe-area-inset-bottom)); }
}
@media (prefers-reduced-motion: no-preference) { .panel { animation: pop .16s ease-out; } }
@keyframes pop { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
`
