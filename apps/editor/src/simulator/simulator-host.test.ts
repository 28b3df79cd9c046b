import type { SimulationWorldResponse } from '@parley/api'
import { getStarterFlow, parseFlowDocument } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { atLocalTime, SimulatorHost } from './simulator-host.ts'

const HOUR = 60 * 60 * 1000
/** 20:00 in Berlin (CET, UTC+1) on a Monday. */
const EVENING = Date.UTC(2026, 0, 5, 19, 0)

function starter(id: string) {
  const parsed = parseFlowDocument(JSON.parse(JSON.stringify(getStarterFlow(id)!.doc)))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.doc
}

/** A store's world as the runtime gives it: its own hoodie, a shopper in Berlin, quiet hours 21–08, 2 per 72 h. */
function world(overrides: Partial<SimulationWorldResponse['contact']> = {}): SimulationWorldResponse {
  return {
    store: { name: 'Hoodie Hut', timeZone: 'Europe/Berlin' },
    policy: {
      quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
      frequencyCap: { limit: 2, windowMinutes: 72 * 60 },
    },
    channels: ['webchat', 'whatsapp'],
    products: [
      {
        id: 'p1',
        externalId: 'shop-hoodie',
        title: 'Classic Hoodie',
        description: 'Brushed fleece.',
        price: '59.00',
        currency: 'USD',
        inStock: true,
        attributes: { colors: ['grey', 'navy'] },
        imageUrl: null,
        url: null,
        optionNames: [],
        variants: [],
      },
    ],
    carts: [
      {
        label: 'Classic Hoodie · 59.00 USD',
        vars: {
          token: 'sample-cart-1',
          url: 'https://hoodie-hut.example/cart/sample-cart-1',
          total: 59,
          currency: 'USD',
          summary: 'Classic Hoodie',
          proof: '',
          items: [{ title: 'Classic Hoodie', price: 59, quantity: 1, productId: 'shop-hoodie' }],
        },
      },
    ],
    orders: [
      {
        label: 'Order #1001 · shipped',
        number: '1001',
        owner: 'contact',
        createdAt: '2026-01-01T10:00:00.000Z',
        view: {
          number: '1001',
          name: '#1001',
          status: 'shipped',
          trackingUrl: 'https://track.example/1',
          carrier: 'DHL',
        },
        vars: { number: '1001', name: '#1001', status: 'shipped' },
      },
    ],
    contact: {
      label: 'Sample shopper',
      anonymised: true,
      vars: { first_name: 'Sam', name: 'Sam' },
      timeZone: 'Europe/Berlin',
      marketingConsent: true,
      optedOut: false,
      lastInboundAt: null,
      marketingSentAt: [],
      ...overrides,
    },
  }
}

const bot = (sim: SimulatorHost) => sim.view.messages.filter((m) => m.from === 'bot')

describe("the simulator in the store's world", () => {
  it("sends the store's own product, holds a reminder through quiet hours and skips one over the cap", () => {
    const sim = new SimulatorHost(starter('cart-recovery'), world(), { channel: 'webchat', startAt: EVENING })
    sim.start({ triggerNodeId: 'cart-abandoned' })
    sim.skipToNextTimer() // 21:00 in Berlin: quiet hours
    expect(bot(sim)[0]?.message.text).toContain('Classic Hoodie')
    expect(bot(sim)[0]?.delivery).toMatchObject({
      kind: 'deferred',
      until: Date.UTC(2026, 0, 6, 7, 0),
      reason: "Held until 08:00 (shopper's time): quiet hours.",
    })
    sim.skipToNextTimer()
    expect(bot(sim)[1]?.delivery).toMatchObject({ kind: 'sent' })
    sim.skipToNextTimer()
    expect(bot(sim)[2]?.delivery).toMatchObject({
      kind: 'skipped',
      reason: 'Not sent: the shopper already got as many marketing messages as your limit allows.',
    })
    expect(sim.view.log.some((l) => l.text.startsWith('Held back: '))).toBe(true)
  })

  it('on WhatsApp, a shopper who never wrote is outside the 24-hour window: no template, no message', () => {
    const sim = new SimulatorHost(starter('cart-recovery'), world(), {
      channel: 'whatsapp',
      startAt: EVENING - 8 * HOUR,
    })
    sim.start({ triggerNodeId: 'cart-abandoned' })
    sim.skipToNextTimer()
    expect(bot(sim)[0]?.delivery).toMatchObject({
      kind: 'skipped',
      skipReason: 'outside_window_no_template',
      reason: expect.stringMatching(/24 hours/),
    })
  })

  it('a purchase ends the run as recovered and cancels the pending timer', () => {
    const sim = new SimulatorHost(starter('cart-recovery'), world(), { channel: 'webchat', startAt: EVENING })
    sim.start({ triggerNodeId: 'cart-abandoned' })
    sim.placeOrder()
    expect(sim.view).toMatchObject({ status: 'done', outcome: 'recovered', timers: [], activeNodeIds: [] })
  })

  it('plays an escalation through to hand-back and to resolve', () => {
    const handedBack = new SimulatorHost(starter('cart-recovery'), world(), {
      channel: 'webchat',
      startAt: EVENING,
    })
    handedBack.start({ triggerNodeId: 'cart-abandoned' })
    handedBack.reply('Does it come in navy?')
    expect(handedBack.view.conversation).toBe('waiting')
    expect(
      handedBack.view.messages.some((m) => m.from === 'system' && m.message.text.includes('sales')),
    ).toBe(true)
    handedBack.handBack()
    expect(handedBack.view).toMatchObject({ conversation: 'bot', status: 'done', outcome: 'assisted' })

    const resolved = new SimulatorHost(starter('where-is-my-order'), world(), {
      channel: 'webchat',
      startAt: EVENING,
    })
    resolved.start({ triggerNodeId: 'asks', text: 'where is my order' })
    resolved.reply('1042')
    // 1042 is not one of this store's orders, as live.
    // The flow's note, then the support queue's word of when a person will reply.
    expect(bot(resolved).at(-2)?.message.text).toMatch(/couldn't find that order/)
    expect(bot(resolved).at(-1)?.message.text).toMatch(/^I've asked the team — a person will reply here/)
    expect(resolved.view.log.some((l) => l.text === 'No order #1042 in your store')).toBe(true)
    resolved.resolve()
    expect(resolved.view).toMatchObject({
      conversation: 'resolved',
      status: 'done',
      outcome: 'resolved_by_staff',
    })
  })

  it("finds the shopper's own order by number", () => {
    const sim = new SimulatorHost(starter('where-is-my-order'), world(), {
      channel: 'webchat',
      startAt: EVENING,
    })
    sim.start({ triggerNodeId: 'asks', text: 'where is my order' })
    sim.reply('#1001')
    expect(
      bot(sim)
        .map((m) => m.message.text)
        .join('\n'),
    ).toContain('Order #1001 is shipped')
  })

  it('places a local time of day on the right instant in the shopper’s zone', () => {
    expect(atLocalTime(Date.UTC(2026, 0, 5, 3), 20 * 60 + 30, 'Europe/Berlin')).toBe(
      Date.UTC(2026, 0, 5, 19, 30),
    )
    expect(atLocalTime(Date.UTC(2026, 6, 5, 3), 8 * 60, 'America/New_York')).toBe(Date.UTC(2026, 6, 5, 12, 0))
  })
})
