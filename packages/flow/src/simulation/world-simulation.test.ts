import { describe, expect, it } from 'vitest'
import { parseFlowDocument } from '../parse.ts'
import { getStarterFlow } from '../starter-flows/index.ts'
import type { SimulationWorld } from './simulation-world.ts'
import { WorldSimulation } from './world-simulation.ts'

const HOUR = 60 * 60 * 1000
/** 10:00 in UTC, outside quiet hours. */
const MORNING = Date.UTC(2026, 0, 5, 10, 0)

function cartRecovery() {
  const parsed = parseFlowDocument(structuredClone(getStarterFlow('cart-recovery')!.doc))
  if (!parsed.ok) throw new Error('cart-recovery does not parse')
  return parsed.doc
}

function world(contact: Partial<SimulationWorld['contact']> = {}): SimulationWorld {
  return {
    store: { name: 'Hoodie Hut', timeZone: 'UTC' },
    policy: { quietHours: null, frequencyCap: { limit: 2, windowMinutes: 24 * 60 } },
    channels: ['webchat'],
    products: [],
    carts: [{ label: 'Hoodie', vars: { token: 'c1', items: [{ title: 'Classic Hoodie' }] } }],
    orders: [],
    contact: {
      label: 'Sample shopper',
      anonymised: true,
      vars: { first_name: 'Sam' },
      timeZone: 'UTC',
      marketingConsent: true,
      optedOut: false,
      lastInboundAt: null,
      marketingSentAt: [],
      ...contact,
    },
  }
}

function firstReminder(w: SimulationWorld) {
  const sim = new WorldSimulation(cartRecovery(), w, { channel: 'webchat', startAt: MORNING })
  sim.start({ triggerNodeId: 'cart-abandoned' })
  sim.advance(HOUR)
  return sim.messages.find((m) => m.from === 'bot')?.delivery
}

describe('a simulated run in the store’s world', () => {
  it("counts the shopper's recent marketing messages from the store against the cap", () => {
    expect(firstReminder(world())).toEqual({ kind: 'sent', mode: 'free_form' })
    const recent = [new Date(MORNING - 3 * HOUR).toISOString(), new Date(MORNING - 2 * HOUR).toISOString()]
    expect(firstReminder(world({ marketingSentAt: recent }))).toMatchObject({
      kind: 'skipped',
      skipReason: 'frequency_cap',
    })
    const old = [new Date(MORNING - 30 * HOUR).toISOString(), new Date(MORNING - 26 * HOUR).toISOString()]
    expect(firstReminder(world({ marketingSentAt: old }))).toMatchObject({ kind: 'sent' })
  })

  it('sends nothing to a shopper who unsubscribed or never agreed to marketing', () => {
    expect(firstReminder(world({ optedOut: true }))).toMatchObject({ skipReason: 'opted_out' })
    expect(firstReminder(world({ marketingConsent: false }))).toMatchObject({ skipReason: 'no_consent' })
  })

  it('keeps the bot quiet while staff have the chat, and hand-back only applies when they do', () => {
    const sim = new WorldSimulation(cartRecovery(), world(), { channel: 'webchat', startAt: MORNING })
    sim.start({ triggerNodeId: 'cart-abandoned' })
    sim.handBack() // the bot has the chat: nothing to hand back
    expect(sim.notes).toEqual([])
    sim.takeOver()
    sim.advance(HOUR)
    // The cart reminder is marketing: paused while staff have the chat, not dropped.
    expect(sim.messages.at(-1)?.delivery).toMatchObject({
      kind: 'held',
      reason: expect.stringMatching(/^Waiting: your team has this conversation/),
    })
  })

  it('answers product questions from the catalogue, and says so when AI answers are on (no network)', () => {
    const parsed = parseFlowDocument(structuredClone(getStarterFlow('product-questions')!.doc))
    if (!parsed.ok) throw new Error('product-questions does not parse')
    const products = [
      {
        id: 'p1',
        externalId: null,
        title: 'Classic Hoodie',
        description: 'Brushed cotton.',
        price: '59.00',
        currency: 'USD',
        inStock: true,
        attributes: { colours: ['Navy'] },
      },
    ]
    const notesFor = (aiAnswers: boolean) => {
      const w = { ...world(), products, store: { name: 'Hoodie Hut', timeZone: 'UTC', aiAnswers } }
      const sim = new WorldSimulation(parsed.doc, w, { channel: 'webchat', startAt: MORNING })
      sim.start({ triggerNodeId: 'asks', text: 'Does the Classic Hoodie come in navy?' })
      expect(sim.messages.filter((m) => m.from === 'bot').map((m) => m.message.text)).toEqual([
        'Yes, the Classic Hoodie comes in Navy (59.00 USD).',
      ])
      return sim.notes.filter((n) => n.kind === 'product-answer').map((n) => n.text)
    }
    expect(notesFor(false)).toEqual(['Answered from your catalogue'])
    expect(notesFor(true)).toEqual([
      'Answered from your catalogue (AI answers are on: the simulator does not call your AI, so this is the catalogue answer it would reword)',
    ])
  })
})

describe('a simulated reply branched on its intent', () => {
  function helpDesk() {
    const parsed = parseFlowDocument({
      version: 2,
      name: 'Help desk',
      settings: { description: '', channels: ['webchat'], exitEvents: [] },
      nodes: [
        { id: 't', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
        { id: 'ask', kind: 'send-message', position: { x: 0, y: 0 }, config: { text: 'How can I help?' } },
        {
          id: 'w',
          kind: 'wait-for-reply',
          position: { x: 0, y: 0 },
          config: { branches: [], intents: ['wants_person', 'order_status'], timeout: null },
        },
        {
          id: 'person',
          kind: 'send-message',
          position: { x: 0, y: 0 },
          config: { text: 'A person is coming.' },
        },
        { id: 'order', kind: 'send-message', position: { x: 0, y: 0 }, config: { text: 'Your order…' } },
      ],
      edges: [
        { id: 'e1', source: 't', sourceHandle: 'next', target: 'ask' },
        { id: 'e2', source: 'ask', sourceHandle: 'next', target: 'w' },
        { id: 'e3', source: 'w', sourceHandle: 'intent-wants_person', target: 'person' },
        { id: 'e4', source: 'w', sourceHandle: 'intent-order_status', target: 'order' },
      ],
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    return parsed.doc
  }

  it.each([
    ['can I talk to someone?', 'A person is coming.'],
    ['wo ist mein Paket', 'Your order…'],
  ])('the simulator takes the same path as the runtime for %j, by the rules alone', (text, answer) => {
    const sim = new WorldSimulation(helpDesk(), world(), { channel: 'webchat', startAt: MORNING })
    sim.start({ triggerNodeId: 't' })
    sim.reply(text)
    expect(sim.messages.filter((m) => m.from === 'bot').map((m) => m.message.text)).toEqual([
      'How can I help?',
      answer,
    ])
  })
})

describe('the simulator plays a return with a photo', () => {
  it('asks for a photo after the reason, takes the one the shopper sends, and hands the case over', () => {
    const parsed = parseFlowDocument(structuredClone(getStarterFlow('returns-triage')!.doc))
    if (!parsed.ok) throw new Error('returns-triage does not parse')
    const order = { name: '#2001', returnable: true, items: [{ title: 'Waxed Jacket', quantity: 1 }] }
    const w = world()
    w.orders = [
      {
        label: '#2001',
        number: '#2001',
        owner: 'contact',
        createdAt: '2026-01-01T10:00:00Z',
        view: order,
        vars: order,
      },
    ]
    const sim = new WorldSimulation(parsed.doc, w, { channel: 'webchat', startAt: MORNING })
    sim.start({ triggerNodeId: 'asks', text: 'I want to return order #2001' })
    sim.reply('Wrong size', 'wrong-size')
    expect(sim.messages.at(-1)?.message).toMatchObject({
      text: 'Send a photo of the item (or tap Skip).',
      buttons: [{ id: 'skip', title: 'Skip' }],
    })
    sim.sendPhoto()
    expect(sim.messages.find((m) => m.from === 'shopper' && m.message.imageUrl)).toBeDefined()
    // The flow's note, then the returns queue's word of when a person will reply.
    expect(sim.messages.slice(-2).map((m) => m.message.text)).toEqual([
      'Thank you! Our returns team has everything they need.',
      expect.stringMatching(/^I've asked the team — a person will reply here/),
    ])
  })
})
