import { describe, expect, it } from 'vitest'
import { compile } from '../compile.ts'
import type { OrderEventPayload } from '../events.ts'
import { parseFlowDocument } from '../parse.ts'
import { SimulatedRun } from '../simulated-run.ts'
import { cartRecoveryFlow } from './cart-recovery.ts'

const HOUR = 60 * 60 * 1000
const T0 = Date.UTC(2025, 2, 3, 9, 0)

const vars = {
  contact: { first_name: 'Maya', timezone: 'Europe/Berlin' },
  cart: {
    token: 'cart-77',
    url: 'https://shop.example/cart/cart-77',
    summary: 'Linen Overshirt',
    proof: 'Linen Overshirt is popular: 12 sold in the last 7 days.',
    currency: 'EUR',
    total: 89,
    items: [
      {
        title: 'Linen Overshirt',
        price: 89,
        quantity: 1,
        imageUrl: 'https://cdn.example/linen-overshirt.jpg',
      },
    ],
  },
  store: { name: 'North Thread' },
}

function order(cartToken: string): OrderEventPayload {
  return { id: 'o-1', number: '1001', total: 89, currency: 'EUR', cartToken }
}

function startRun() {
  // Through JSON and the parser, as the runtime loads a published version.
  const parsed = parseFlowDocument(JSON.parse(JSON.stringify(cartRecoveryFlow)))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return new SimulatedRun(compile(parsed.doc), { vars, seed: 'run-1' }, T0)
}

describe('cart recovery starter flow', () => {
  it('parses clean and is unchanged by parsing', () => {
    const parsed = parseFlowDocument(JSON.parse(JSON.stringify(cartRecoveryFlow)))
    expect(parsed).toEqual({ ok: true, doc: cartRecoveryFlow })
  })

  it('sends the reminder at +1 h, social proof at +24 h and the offer at +72 h, then ends not recovered', () => {
    const run = startRun()
    run.advanceTo(T0 + 200 * HOUR)
    const sends = run.sends()
    expect(sends.map((s) => (s.at - T0) / HOUR)).toEqual([1, 24, 72])
    expect(sends.map((s) => s.effect.nodeId)).toEqual(['reminder', 'social-proof', 'personal-offer'])
    for (const { effect } of sends) {
      expect(effect.message.text).toContain('Linen Overshirt')
      // A button back to the cart, never a raw link in the text.
      expect(effect.message.link).toEqual({ title: 'Return to cart', url: vars.cart.url })
      expect(effect.message.text).not.toContain('https://')
    }
    const [reminder, socialProof, offer] = sends.map((s) => s.effect)
    expect(reminder!.message.text).not.toMatch(/%|discount|code|available|rated|out of 5/i)
    expect(reminder!.message.product).toEqual({
      title: 'Linen Overshirt',
      price: 89,
      currency: 'EUR',
      imageUrl: 'https://cdn.example/linen-overshirt.jpg',
    })
    // Social proof is the store's own data, or nothing.
    expect(socialProof!.message.text).toBe(
      'Your cart with Linen Overshirt is still waiting. Linen Overshirt is popular: 12 sold in the last 7 days.',
    )
    expect(socialProof!.message.imageUrl).toBe('https://cdn.example/linen-overshirt.jpg')
    expect(socialProof!.template).toMatchObject({
      name: 'cart_social_proof',
      params: ['Maya', 'Linen Overshirt', vars.cart.url],
    })
    expect(offer!.message.text).toContain('COMEBACK10')
    expect(offer!.template?.params).toContain('COMEBACK10')
    expect(run.effects.filter((e) => e.effect.type === 'incentive.offered')).toEqual([
      {
        at: T0 + 72 * HOUR,
        effect: { type: 'incentive.offered', nodeId: 'personal-offer', code: 'COMEBACK10', percentOff: 10 },
      },
    ])
    expect(run.status).toBe('done')
    expect(run.outcome).toBe('not_recovered')
    expect(run.timers.size).toBe(0)
  })

  it('names every item of a multi-item cart, shows each as a card, and says nothing it cannot back', () => {
    const cart = {
      ...vars.cart,
      summary: 'Slim Jeans and Canvas Cap',
      proof: '',
      items: [
        {
          title: 'Slim Jeans',
          price: 80,
          quantity: 1,
          imageUrl: 'https://cdn.example/jeans.jpg',
          productId: 'p-jeans',
        },
        { title: 'Canvas Cap', price: 20, quantity: 1, imageUrl: 'https://cdn.example/cap.jpg' },
      ],
    }
    const parsed = parseFlowDocument(JSON.parse(JSON.stringify(cartRecoveryFlow)))
    if (!parsed.ok) throw new Error('starter flow does not parse')
    const run = new SimulatedRun(compile(parsed.doc), { vars: { ...vars, cart }, seed: 'run-2' }, T0)
    run.advanceTo(T0 + 200 * HOUR)
    const [reminder, socialProof] = run.sends().map((s) => s.effect)
    expect(reminder!.message.text).toBe(
      "Hi Maya, you left Slim Jeans and Canvas Cap in your cart. Pick up where you left off whenever you're ready.",
    )
    expect(reminder!.message.products).toEqual([
      {
        title: 'Slim Jeans',
        price: 80,
        currency: 'EUR',
        imageUrl: 'https://cdn.example/jeans.jpg',
        productId: 'p-jeans',
      },
      { title: 'Canvas Cap', price: 20, currency: 'EUR', imageUrl: 'https://cdn.example/cap.jpg' },
    ])
    // No sales or stock facts: the second reminder is a plain reminder, with no claim at all.
    expect(socialProof!.message.text).toBe('Your cart with Slim Jeans and Canvas Cap is still waiting.')
  })

  it('takes the reply branch on a reply at +2 h: escalation with a summary, no more bot messages', () => {
    const run = startRun()
    run.advanceTo(T0 + 2 * HOUR)
    const pendingTimeout = [...run.timers.keys()]
    expect(pendingTimeout).toHaveLength(1)
    const result = run.send({ type: 'message.received', text: 'Does it come in navy?' })
    expect(result.visited).toEqual(['hand-to-team'])
    expect(result.effects).toEqual([
      {
        type: 'escalate',
        nodeId: 'hand-to-team',
        queue: 'sales',
        summary:
          'Cart: Linen Overshirt\nCart total: 89\nCart link: https://shop.example/cart/cart-77\nShopper wrote: Does it come in navy?',
        fields: {
          Cart: 'Linen Overshirt',
          'Cart total': '89',
          'Cart link': 'https://shop.example/cart/cart-77',
          'Shopper wrote': 'Does it come in navy?',
        },
      },
    ])
    // The wait's 23 h timeout is cancelled as the state is left.
    expect(result.timers.cancel).toEqual(pendingTimeout)
    expect(run.timers.size).toBe(0)
    run.advanceTo(T0 + 200 * HOUR)
    expect(run.sends().map((s) => s.effect.nodeId)).toEqual(['reminder'])
    expect(run.last.activeNodeIds).toEqual(['hand-to-team'])
    run.send({ type: 'staff.handback' })
    expect(run.outcome).toBe('assisted')
  })

  it('ends as recovered on an order for this cart at +30 h, with no further message', () => {
    const run = startRun()
    run.advanceTo(T0 + 30 * HOUR)
    expect(run.timers.size).toBe(1)
    const [waiting] = [...run.timers.keys()]
    const result = run.send({ type: 'order.created', order: order('cart-77') })
    expect(result.status).toBe('done')
    expect(result.outcome).toBe('recovered')
    expect(result.effects).toEqual([])
    expect(result.timers).toEqual({ set: [], cancel: [waiting] })
    run.advanceTo(T0 + 200 * HOUR)
    expect(run.sends().map((s) => (s.at - T0) / HOUR)).toEqual([1, 24])
  })

  it('ignores an order for another cart', () => {
    const run = startRun()
    run.advanceTo(T0 + 30 * HOUR)
    const result = run.send({ type: 'order.created', order: order('someone-else') })
    expect(result.status).toBe('active')
    expect(result.effects).toEqual([])
    expect(result.timers).toEqual({ set: [], cancel: [] })
    run.advanceTo(T0 + 80 * HOUR)
    expect(run.sends().map((s) => (s.at - T0) / HOUR)).toEqual([1, 24, 72])
  })

  it('ends as opted out when the shopper opts out, cancelling the pending timer', () => {
    const run = startRun()
    run.advanceTo(T0 + 3 * HOUR)
    const result = run.send({ type: 'contact.opted_out' })
    expect(result.outcome).toBe('opted_out')
    expect(run.timers.size).toBe(0)
  })

  it('never sends more than three messages, whatever the timing of a reply', () => {
    for (const replyAt of [0.5, 1, 5, 24, 50, 72, 100, 150]) {
      const run = startRun()
      run.advanceTo(T0 + replyAt * HOUR)
      if (run.status === 'active') run.send({ type: 'message.received', text: 'hello?' })
      run.advanceTo(T0 + 300 * HOUR)
      expect(run.sends().length).toBeLessThanOrEqual(3)
    }
  })
})
