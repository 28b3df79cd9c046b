// The demo store's HTML: "North Thread", a few products from the demo catalogue, a cart, the web-chat widget
// and a demo panel that drives the cart-recovery sequence with the dev clock. Plain HTML + a small script.

export interface DemoProduct {
  external_id: string | null
  title: string
  description: string | null
  price: string
  currency: string
  image_url: string | null
}

export interface DemoPageInput {
  channelId: string
  abandonAfterMinutes: number
  products: DemoProduct[]
  /** The response's CSP nonce, which lets the page's one inline script run. */
  nonce?: string
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

function productCard(p: DemoProduct): string {
  const sku = escapeHtml(p.external_id ?? '')
  const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: p.currency }).format(
    Number(p.price),
  )
  return `<article class="product" id="${sku}">
  <img src="${escapeHtml(p.image_url ?? '')}" alt="${escapeHtml(p.title)}" width="400" height="400">
  <h3>${escapeHtml(p.title)}</h3>
  <p class="desc">${escapeHtml(p.description ?? '')}</p>
  <p class="price">${escapeHtml(price)}</p>
  <button type="button" class="add" data-sku="${sku}" data-title="${escapeHtml(p.title)}" data-price="${escapeHtml(p.price)}">Add to cart</button>
</article>`
}

export function renderDemoPage(input: DemoPageInput): string {
  const channel = escapeHtml(input.channelId)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>North Thread — Parley demo store</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #faf8f5; }
  header.store { display: flex; align-items: baseline; gap: 16px; padding: 18px 32px; background: #2f4858; color: #fff; }
  header.store h1 { margin: 0; font-size: 22px; letter-spacing: .04em; }
  header.store span { opacity: .8; font-size: 14px; }
  main { display: grid; grid-template-columns: 1fr 300px; gap: 28px; padding: 28px 32px 120px; max-width: 1200px; }
  .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 18px; align-content: start; }
  .product { background: #fff; border: 1px solid #e6e1d8; border-radius: 12px; padding: 12px; display: flex; flex-direction: column; }
  .product img { width: 100%; height: auto; aspect-ratio: 1; border-radius: 8px; background: #f4f1ec; }
  .product h3 { margin: 10px 0 2px; font-size: 16px; }
  .product .desc { margin: 0; color: #57606a; font-size: 13px; flex: 1; }
  .product .price { margin: 8px 0; font-weight: 600; }
  button { font: inherit; cursor: pointer; border-radius: 8px; border: 1px solid #2f4858; padding: 7px 12px; background: #fff; color: #2f4858; }
  button:hover:not(:disabled) { background: #eef3f6; }
  button.primary { background: #2f4858; color: #fff; }
  button.primary:hover:not(:disabled) { background: #3d5c70; }
  button:disabled { opacity: .5; cursor: default; }
  aside { display: flex; flex-direction: column; gap: 18px; }
  .box { background: #fff; border: 1px solid #e6e1d8; border-radius: 12px; padding: 16px; }
  .box h2 { margin: 0 0 10px; font-size: 16px; }
  #cart-lines { list-style: none; padding: 0; margin: 0 0 10px; }
  #cart-lines li { display: flex; justify-content: space-between; gap: 8px; padding: 4px 0; border-bottom: 1px dashed #eee; }
  .empty { color: #57606a; }
  .total { font-weight: 600; display: flex; justify-content: space-between; margin-bottom: 10px; }
  .demo { border: 2px dashed #c69214; background: #fffbeb; }
  .demo p { margin: 0 0 10px; font-size: 13px; color: #57606a; }
  .demo .clock { font-variant-numeric: tabular-nums; font-size: 14px; color: #1f2328; }
  .demo .row { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 10px; }
  #demo-status { min-height: 1.5em; font-size: 13px; color: #1a7f37; margin: 0; }
  #demo-status.error { color: #a40e26; }
  /* Keep the cart and the demo panel clear of the open chat panel (370 px wide, bottom right). */
  @media (min-width: 1100px) { main { padding-right: 420px; max-width: none; } .products { grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); } }
  @media (max-width: 800px) { main { grid-template-columns: 1fr; padding: 20px; } }
</style>
</head>
<body>
<header class="store"><h1>NORTH THREAD</h1><span>Everyday clothes, made to last</span></header>
<main>
  <section class="products" aria-label="Products">
${input.products.map(productCard).join('\n')}
  </section>
  <aside>
    <section class="box" id="cart" aria-labelledby="cart-title">
      <h2 id="cart-title">Your cart</h2>
      <ul id="cart-lines"></ul>
      <div class="total"><span>Total</span><span id="cart-total">$0.00</span></div>
      <button type="button" id="place-order" class="primary">Place order</button>
    </section>
    <section class="box demo" aria-labelledby="demo-title">
      <h2 id="demo-title">Demo panel</h2>
      <p>Add something to the cart, then abandon it: the store reports the cart, the dev clock jumps past the
        ${input.abandonAfterMinutes}-minute threshold, and the cart-recovery flow starts. Move time on and watch
        the messages arrive in the chat.</p>
      <p class="clock">Virtual time: <strong id="virtual-time">…</strong><br>Next message due: <span id="next-due">—</span></p>
      <div class="row">
        <button type="button" id="abandon" class="primary">Abandon this cart</button>
      </div>
      <div class="row">
        <button type="button" data-hours="1">+1 h</button>
        <button type="button" data-hours="24">+24 h</button>
        <button type="button" id="skip">Skip to next message</button>
      </div>
      <p id="demo-status" role="status" aria-live="polite"></p>
    </section>
  </aside>
</main>
<script${input.nonce ? ` nonce="${escapeHtml(input.nonce)}"` : ''}>
(() => {
  const CART_KEY = 'norththread.cart'
  const money = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n)
  const newToken = () => 'cart_' + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).replace(/-/g, '')
  const load = () => { try { return JSON.parse(localStorage.getItem(CART_KEY)) || null } catch { return null } }
  let cart = load() || { token: newToken(), items: [] }
  const save = () => localStorage.setItem(CART_KEY, JSON.stringify(cart))
  const $ = (id) => document.getElementById(id)
  const status = (text, error) => { $('demo-status').textContent = text; $('demo-status').className = error ? 'error' : '' }

  function renderCart() {
    const lines = $('cart-lines')
    lines.replaceChildren()
    if (cart.items.length === 0) {
      const li = document.createElement('li'); li.className = 'empty'; li.textContent = 'Your cart is empty.'
      lines.append(li)
    }
    let total = 0
    for (const item of cart.items) {
      const li = document.createElement('li')
      const name = document.createElement('span'); name.textContent = item.quantity + ' × ' + item.title
      const price = document.createElement('span'); price.textContent = money(item.price * item.quantity)
      li.append(name, price); lines.append(li)
      total += item.price * item.quantity
    }
    $('cart-total').textContent = money(total)
    $('abandon').disabled = $('place-order').disabled = cart.items.length === 0
  }

  function showClock(state) {
    if (!state || !state.now) return
    $('virtual-time').textContent = new Date(state.now).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
    $('next-due').textContent = state.nextDueAt ? new Date(state.nextDueAt).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '—'
  }

  async function visitorToken() {
    if (!window.ParleyWidget) throw new Error('The chat widget has not loaded yet')
    return (await window.ParleyWidget.session()).token
  }

  async function call(path, body, withVisitor) {
    const headers = { 'Content-Type': 'application/json' }
    if (withVisitor) headers.Authorization = 'Bearer ' + (await visitorToken())
    const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) })
    const data = await res.json().catch(() => ({}))
    if (!res.ok) throw new Error((data.error && data.error.message) || ('HTTP ' + res.status))
    showClock(data)
    return data
  }

  const cartBody = () => ({ cartToken: cart.token, items: cart.items.map((i) => ({ sku: i.sku, quantity: i.quantity })) })
  function run(button, action) {
    button.addEventListener('click', async () => {
      const buttons = document.querySelectorAll('.demo button, #place-order')
      buttons.forEach((b) => { b.dataset.wasDisabled = b.disabled; b.disabled = true })
      try { status(await action()) } catch (error) { status(error.message, true) }
      finally { buttons.forEach((b) => { b.disabled = b.dataset.wasDisabled === 'true' }); renderCart() }
    })
  }

  document.querySelectorAll('button.add').forEach((button) => button.addEventListener('click', () => {
    const existing = cart.items.find((i) => i.sku === button.dataset.sku)
    if (existing) existing.quantity += 1
    else cart.items.push({ sku: button.dataset.sku, title: button.dataset.title, price: Number(button.dataset.price), quantity: 1 })
    save(); renderCart(); status(button.dataset.title + ' added to your cart.')
  }))

  run($('abandon'), async () => {
    const data = await call('/demo/api/abandon', cartBody(), true)
    window.ParleyWidget && window.ParleyWidget.open()
    return 'Cart abandoned (' + data.due.cartsAbandoned + ' cart, the recovery flow started). Try +1 h.'
  })
  document.querySelectorAll('[data-hours]').forEach((b) => run(b, async () => {
    const data = await call('/demo/api/advance', { hours: Number(b.dataset.hours) }, true)
    return 'Clock moved +' + b.dataset.hours + ' h: ' + data.due.messagesSent + ' message(s) sent.'
  }))
  run($('skip'), async () => {
    const data = await call('/demo/api/advance', { next: true }, true)
    return data.due ? 'Skipped ahead: ' + data.due.messagesSent + ' message(s) sent.' : 'Nothing is scheduled.'
  })
  run($('place-order'), async () => {
    const data = await call('/demo/api/order', cartBody(), true)
    cart = { token: newToken(), items: [] }; save()
    return 'Order ' + data.orderNumber + ' placed: the recovery sequence stops.'
  })

  renderCart()
  const refreshClock = async () => {
    const headers = window.ParleyWidget ? { Authorization: 'Bearer ' + (await visitorToken()) } : {}
    showClock(await (await fetch('/demo/api/clock', { headers })).json())
  }
  refreshClock().catch(() => {})
  window.addEventListener('parley:ready', () => refreshClock().catch(() => {}))
  setInterval(() => refreshClock().catch(() => {}), 10000)
})()
</script>
<script src="/widget.js" data-channel="${channel}" data-title="North Thread" data-accent="#2f4858" async></script>
</body>
</html>`
}
