import { describe, expect, it } from 'vitest'
import { compile } from '../compile.ts'
import type { SendEffect } from '../effects.ts'
import { parseFlowDocument } from '../parse.ts'
import type { FlowVars } from '../run-context.ts'
import { SimulatedRun } from '../simulated-run.ts'
import { validate } from '../validate.ts'
import { getStarterFlow, starterFlows } from './index.ts'

const DAY = 24 * 3_600_000

function runFlow(id: string, vars: FlowVars) {
  const doc = getStarterFlow(id)!.doc
  return new SimulatedRun(compile(doc), { vars, seed: 'seed' }, 0)
}

const texts = (run: SimulatedRun) => run.sends().map((s) => s.effect.message.text)

describe('starter flows', () => {
  it('are seven, with unique ids, and each parses to itself and validates clean', () => {
    expect(starterFlows.map((f) => f.id)).toEqual([
      'cart-recovery',
      'where-is-my-order',
      'shipping-updates',
      'returns-triage',
      'product-questions',
      'post-purchase-cross-sell',
      'welcome',
    ])
    for (const flow of starterFlows) {
      const json = JSON.parse(JSON.stringify(flow.doc))
      expect(parseFlowDocument(json), flow.id).toEqual({ ok: true, doc: flow.doc })
      expect(validate(json), flow.id).toEqual([])
    }
  })

  it('name every step for merchants and lay them out without overlaps', () => {
    for (const { doc } of starterFlows) {
      expect(doc.nodes.every((n) => (n.name ?? '').length > 0)).toBe(true)
      const spots = doc.nodes.map((n) => `${n.position.x},${n.position.y}`)
      expect(new Set(spots).size).toBe(spots.length)
    }
  })
})

describe('where is my order', () => {
  const trigger = { type: 'message.received', text: 'Hi, where is my order??' }

  it('asks for the number, looks it up and replies with status and tracking', () => {
    const run = runFlow('where-is-my-order', { trigger })
    expect(texts(run)[0]).toContain("What's your order number?")
    run.send({ type: 'message.received', text: 'It is #1042' })
    expect(run.last.effects).toEqual([{ type: 'order.lookup', nodeId: 'find-order', orderNumber: '1042' }])
    run.send({
      type: 'effect.result',
      nodeId: 'find-order',
      ok: true,
      data: {
        number: '1042',
        name: '#1042',
        status: 'shipped',
        carrier: 'DHL',
        trackingNumber: 'JD01',
        trackingUrl: 'https://t.example/JD01',
      },
    })
    expect(texts(run)[1]).toBe(
      'Order #1042 is shipped. DHL tracking number JD01, follow it here: https://t.example/JD01',
    )
    expect(run.sends()[1]!.effect.purpose).toBe('transactional')
    expect(texts(run)[2]).toBe('Anything else I can help with?')
    run.send({ type: 'message.received', text: 'No, all good', buttonId: 'all-good' })
    expect(texts(run)[3]).toBe('Glad I could help. Have a lovely day!')
    expect(run.outcome).toBe('answered')
  })

  it('uses the order number the first message already gave, without asking for it', () => {
    const run = runFlow('where-is-my-order', {
      trigger: { type: 'message.received', text: 'where is my order 1234?', orderNumber: '1234' },
    })
    expect(texts(run)).toEqual([])
    expect(run.last.effects).toEqual([{ type: 'order.lookup', nodeId: 'find-order', orderNumber: '1234' }])
    run.send({
      type: 'effect.result',
      nodeId: 'find-order',
      ok: true,
      data: { number: '#1234', name: '#1234', status: 'paid' },
    })
    expect(texts(run)[0]).toBe("Order #1234 is paid. You'll get a tracking link here as soon as it ships.")
  })

  it('hands a shopper who wants a person, or types another question, to support', () => {
    for (const answer of [{ text: 'Talk to a person', buttonId: 'person' }, { text: 'and my refund?' }]) {
      const run = runFlow('where-is-my-order', { trigger })
      run.send({ type: 'message.received', text: '#1042' })
      run.send({ type: 'effect.result', nodeId: 'find-order', ok: true, data: { number: '1042' } })
      run.send({ type: 'message.received', ...answer })
      // Every starter hand-over says its note first; the escalation's handling then sends the queue's reply time.
      expect(run.last.effects[0]).toMatchObject({
        type: 'send',
        message: { text: 'Of course! Our team will see your order.' },
      })
      expect(run.last.effects[1]).toMatchObject({ type: 'escalate', queue: 'support' })
    }
  })

  it('reads a typed answer to "Anything else?" like the taps: a no ends politely, a wish for a person escalates', () => {
    for (const text of ['no thanks', 'nope 👍', 'Nein danke']) {
      const run = runFlow('where-is-my-order', { trigger })
      run.send({ type: 'message.received', text: '#1042' })
      run.send({ type: 'effect.result', nodeId: 'find-order', ok: true, data: { number: '1042' } })
      run.send({ type: 'message.received', text })
      expect(texts(run).at(-1)).toBe('Glad I could help. Have a lovely day!')
      expect(run.outcome).toBe('answered')
    }
    const person = runFlow('where-is-my-order', { trigger })
    person.send({ type: 'message.received', text: '#1042' })
    person.send({ type: 'effect.result', nodeId: 'find-order', ok: true, data: { number: '1042' } })
    person.send({ type: 'message.received', text: 'can I speak to someone please' })
    expect(person.last.activeNodeIds).toEqual(['more-help'])
    // The shopper is shown the buttons' titles only.
    expect(person.sends().at(-2)?.effect.message.buttons).toEqual([
      { id: 'all-good', title: 'No, all good' },
      { id: 'person', title: 'Talk to a person' },
    ])
  })

  it('hands an order it cannot find to support', () => {
    const run = runFlow('where-is-my-order', { trigger })
    run.send({ type: 'message.received', text: '#999' })
    run.send({ type: 'effect.result', nodeId: 'find-order', ok: false })
    expect(run.last.effects[1]).toMatchObject({
      type: 'escalate',
      queue: 'support',
      fields: { 'Order number given': '999', 'Shopper wrote': 'Hi, where is my order??' },
    })
    expect(run.last.activeNodeIds).toEqual(['hand-to-support'])
  })
})

describe('returns triage', () => {
  it('collects order number, reason and photos, then escalates with all three', () => {
    const run = runFlow('returns-triage', {
      trigger: { type: 'message.received', text: 'I want to return my jacket' },
    })
    expect(run.sends().map((s) => s.effect.nodeId)).toEqual(['policy', 'order-number'])
    run.send({ type: 'message.received', text: '#2001' })
    expect(run.last.effects).toEqual([{ type: 'order.lookup', nodeId: 'find-order', orderNumber: '2001' }])
    run.send({
      type: 'effect.result',
      nodeId: 'find-order',
      ok: true,
      data: {
        name: '#2001',
        returnable: true,
        returnBy: '2026-12-30T10:00:00.000Z',
        daysSinceDelivery: 3,
        items: [{ title: 'Waxed Jacket', quantity: 1, price: 120 }],
      },
    })
    expect(run.last.effects[0]).toMatchObject({
      type: 'send',
      message: { buttons: [{ title: 'Arrived damaged' }, {}, {}] },
    })
    run.send({ type: 'message.received', text: 'Arrived damaged', buttonId: 'damaged' })
    expect(run.last.effects[0]).toMatchObject({
      type: 'send',
      message: { text: 'Send a photo of the item (or tap Skip).', buttons: [{ id: 'skip', title: 'Skip' }] },
    })
    run.send({
      type: 'message.received',
      text: '',
      media: [{ url: 'https://m/p1.jpg', mimeType: 'image/jpeg' }],
    })
    const escalation = run.last.effects[1]
    expect(escalation).toEqual({
      type: 'escalate',
      nodeId: 'returns-team',
      queue: 'returns',
      summary: 'Order number: #2001\nReason: Arrived damaged\nPhotos: 1 photo',
      fields: { 'Order number': '#2001', Reason: 'Arrived damaged', Photos: '1 photo' },
      // The case: the order with its items and return window, and the photo for thumbnails.
      order: {
        name: '#2001',
        items: [{ title: 'Waxed Jacket', quantity: 1 }],
        returnable: true,
        returnBy: '2026-12-30T10:00:00.000Z',
        daysSinceDelivery: 3,
      },
      photos: ['https://m/p1.jpg'],
    })
    // No refund is promised by the bot: the decision stays with the team.
    expect(texts(run).join(' ')).not.toMatch(/refund (is|has been) (approved|issued)/i)
  })

  it('goes on without a photo when the shopper taps Skip (or types it)', () => {
    for (const skip of [{ text: 'Skip', buttonId: 'skip' }, { text: ' skip ' }]) {
      const run = runFlow('returns-triage', {
        trigger: { type: 'message.received', text: 'return order 2001', orderNumber: '2001' },
      })
      run.send({
        type: 'effect.result',
        nodeId: 'find-order',
        ok: true,
        data: { name: '#2001', returnable: true },
      })
      run.send({ type: 'message.received', text: 'Wrong size', buttonId: 'wrong-size' })
      run.send({ type: 'message.received', ...skip })
      expect(run.last.effects[1]).toMatchObject({
        type: 'escalate',
        queue: 'returns',
        fields: { 'Order number': '#2001', Reason: 'Wrong size', Photos: '' },
      })
      expect(run.last.effects[1]).not.toHaveProperty('photos')
    }
  })

  const returnOf = (order: Record<string, unknown> | null) => {
    const run = runFlow('returns-triage', {
      trigger: { type: 'message.received', text: 'I want to return order 2001', orderNumber: '2001' },
      store: { name: 'North Thread', returnWindowDays: 14 },
    })
    expect(texts(run)).toHaveLength(1)
    expect(texts(run)[0]).toContain('within 14 days of delivery')
    expect(run.last.effects).toContainEqual({
      type: 'order.lookup',
      nodeId: 'find-order',
      orderNumber: '2001',
    })
    run.send({
      type: 'effect.result',
      nodeId: 'find-order',
      ok: order !== null,
      ...(order ? { data: order } : {}),
    })
    return run
  }

  it('hands an order past the return window to the team with a note, without asking for a reason', () => {
    const run = returnOf({ name: '#2001', returnable: false, returnBy: '2026-11-15T10:00:00.000Z' })
    expect(run.last.effects[1]).toMatchObject({
      type: 'escalate',
      queue: 'returns',
      fields: { 'Order number': '#2001', 'Return window ended': '2026-11-15T10:00:00.000Z' },
    })
    expect(texts(run).join(' ')).toContain('past our 14-day return window')
  })

  it('hands an order that is not among theirs to the team', () => {
    const run = returnOf(null)
    expect(run.last.effects[1]).toMatchObject({
      type: 'escalate',
      queue: 'returns',
      fields: { 'Order number given': '2001' },
    })
  })
})

describe('product questions', () => {
  const trigger = { type: 'message.received', text: 'Does the Linen Overshirt run true to size?' }

  it('answers from the catalogue', () => {
    const run = runFlow('product-questions', { trigger })
    expect(run.last.effects).toEqual([
      { type: 'product.answer', nodeId: 'answer', question: 'Does the Linen Overshirt run true to size?' },
    ])
    run.send({ type: 'effect.result', nodeId: 'answer', ok: true, data: { text: 'It runs true to size.' } })
    expect(texts(run)).toEqual(['It runs true to size.'])
    expect(run.outcome).toBe('answered')
  })

  it('hands an unanswered question to the team with the question', () => {
    const run = runFlow('product-questions', { trigger })
    run.send({ type: 'effect.result', nodeId: 'answer', ok: false })
    expect(run.last.effects[1]).toMatchObject({ type: 'escalate', fields: { Question: trigger.text } })
  })
})

describe('post-purchase cross-sell', () => {
  it('recommends up to three products as cards three days after the order', () => {
    const run = runFlow('post-purchase-cross-sell', {
      contact: { first_name: 'Rui' },
      order: {
        currency: 'EUR',
        items: [{ title: 'Linen Overshirt' }],
        recommendations: [
          {
            title: 'Canvas Belt',
            imageUrl: 'https://cdn/belt.jpg',
            price: 29,
            url: 'https://s/belt',
            productId: 'p-belt',
          },
          { title: 'Wool Scarf', price: 35 },
          { title: 'Linen Cap', price: 19 },
          { title: 'Fourth', price: 9 },
        ],
      },
    })
    run.advanceTo(3 * DAY - 1)
    expect(run.sends()).toEqual([])
    run.advanceTo(3 * DAY)
    const [{ at, effect }] = run.sends() as [{ at: number; effect: SendEffect }]
    expect(at).toBe(3 * DAY)
    expect(effect).toMatchObject({
      purpose: 'marketing',
      message: {
        text: "Hi Rui, we hope you're enjoying Linen Overshirt! Shoppers who bought it also love these:",
        products: [
          {
            title: 'Canvas Belt',
            imageUrl: 'https://cdn/belt.jpg',
            price: 29,
            currency: 'EUR',
            url: 'https://s/belt',
            productId: 'p-belt',
          },
          { title: 'Wool Scarf', price: 35, currency: 'EUR' },
          { title: 'Linen Cap', price: 19, currency: 'EUR' },
        ],
      },
      template: {
        name: 'post_purchase_recommendation',
        params: ['Rui', 'Linen Overshirt', 'Canvas Belt and 3 more'],
      },
    })
    expect(run.outcome).toBe('recommended')
  })

  it('sends one card for one suggestion, and nothing at all when there is nothing to suggest', () => {
    const one = runFlow('post-purchase-cross-sell', {
      order: {
        currency: 'EUR',
        items: [{ title: 'Tee' }],
        recommendations: [{ title: 'Canvas Belt', price: 29 }],
      },
    })
    one.advanceTo(3 * DAY)
    const [{ effect }] = one.sends() as [{ at: number; effect: SendEffect }]
    expect(effect.message.product).toEqual({ title: 'Canvas Belt', price: 29, currency: 'EUR' })
    expect(effect.message.products).toBeUndefined()

    const none = runFlow('post-purchase-cross-sell', {
      order: { currency: 'EUR', items: [{ title: 'Tee' }], recommendations: [] },
    })
    none.advanceTo(3 * DAY)
    expect(none.sends()).toEqual([])
    expect(none.outcome).toBe('nothing_to_suggest')
  })
})

describe('welcome', () => {
  const trigger = { type: 'message.received', text: '/start summer-sale' }
  const start = () =>
    runFlow('welcome', { trigger, store: { name: 'Aster & Oak' }, contact: { name: 'Mia' } })

  it('greets with three quick replies', () => {
    const run = start()
    expect(run.sends().map((s) => s.effect.message)).toEqual([
      {
        text: 'Hi Mia, welcome to Aster & Oak! How can I help you today?',
        buttons: [
          { id: 'track', title: 'Track my order' },
          { id: 'product', title: 'Product question' },
          { id: 'person', title: 'Talk to a person' },
        ],
      },
    ])
  })

  it.each([
    ['track', 'Track my order', 'order-number'],
    ['product', 'Product question', 'question'],
  ])('"%s" goes to its own branch', (buttonId, text, nodeId) => {
    const run = start()
    run.send({ type: 'message.received', text, buttonId })
    expect(run.sends().at(-1)!.effect.nodeId).toBe(nodeId)
  })

  it('"Talk to a person" hands the chat to the team', () => {
    const run = start()
    run.send({ type: 'message.received', text: 'Talk to a person', buttonId: 'person' })
    expect(run.last.effects.find((e) => e.type === 'escalate')).toMatchObject({ queue: 'support' })
  })

  it('answers typed text as a product question', () => {
    const run = start()
    run.send({ type: 'message.received', text: 'Is the jacket waterproof?' })
    expect(run.last.effects).toEqual([
      { type: 'product.answer', nodeId: 'typed-answer', question: 'Is the jacket waterproof?' },
    ])
  })
})

describe('shipping updates', () => {
  const order = {
    number: '#1004',
    name: '#1004',
    carrier: 'DHL',
    trackingUrl: 'https://t.example/JD01',
  }
  const start = (triggerNodeId: string) =>
    new SimulatedRun(
      compile(getStarterFlow('shipping-updates')!.doc),
      { triggerNodeId, vars: { contact: { first_name: 'Ana' }, order }, seed: 'seed' },
      0,
    )

  it('tells the shopper it shipped, with the tracking link, as a utility message', () => {
    const run = start('shipped')
    expect(texts(run)).toEqual([
      'Good news, Ana! Your order #1004 is on its way with DHL. Follow it here: https://t.example/JD01',
    ])
    const send = run.sends()[0]!.effect
    expect(send.purpose).toBe('transactional')
    expect(send.template).toMatchObject({ name: 'order_shipped', category: 'utility' })
    expect(run.outcome).toBe('notified')
  })

  it('tells the shopper it arrived', () => {
    const run = start('delivered')
    expect(texts(run)).toEqual([
      "Your order #1004 has been delivered, Ana. Enjoy! If anything isn't right, just reply here.",
    ])
    expect(run.outcome).toBe('notified')
  })

  it('offers a person when delivery fails, and hands over with the tracking', () => {
    const run = start('problem')
    expect(texts(run)[0]).toBe(
      'Sorry, Ana: DHL could not deliver order #1004. Would you like someone from our team to sort it out?',
    )
    run.send({ type: 'message.received', text: 'Yes, please', buttonId: 'help' })
    expect(run.last.effects[1]).toMatchObject({
      type: 'escalate',
      queue: 'support',
      fields: { 'Order number': '#1004', Carrier: 'DHL', 'Tracking link': 'https://t.example/JD01' },
    })
  })

  it('gives the tracking link to a shopper who will check it themselves', () => {
    const run = start('problem')
    run.send({ type: 'message.received', text: "No, I'll check", buttonId: 'fine' })
    expect(texts(run)[1]).toBe('No problem. You can follow the parcel here: https://t.example/JD01')
    expect(run.outcome).toBe('notified')
  })
})
