// One test over both (issue 9 acceptance 3, issue 15 acceptance 2): every starter flow, played with the same
// scripted events — the trigger, the shopper's replies and button taps, time passing past delays, store events,
// staff hand-back and resolve — (a) live, through the runtime's routes and due-work loop with a recording channel,
// and (b) in the editor's simulator (packages/flow's `WorldSimulation`) in the world `GET /api/simulation-world`
// gives it. The shopper's transcripts (messages in order with buttons and cards, and whether each was sent,
// deferred by quiet hours or skipped, and why) and the runs' outcomes must be equal.
import type { SimulationWorldResponse } from '@parley/api'
import { jsonb } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import {
  getNodeKind,
  type OutboundMessage,
  parseFlowDocument,
  type SendChannelKind,
  type SimulatedMessage,
  type StarterFlow,
  starterFlows,
  WorldSimulation,
} from '@parley/flow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { runDueWork } from '../engine/due-work.ts'
import { BACK_TO_ASSISTANT_TEXT } from '../inbox/handoff-notices.ts'
import {
  cartUpdated,
  publishFlowDocument,
  RecordingAdapter,
  seedChannel,
} from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** What the shopper and staff do, and what time and the store do, in order. */
type Action =
  /** The flow's trigger: the cart going quiet, the order, or the shopper's first message (`text`). */
  | { do: 'start'; text?: string }
  | { do: 'say'; text: string }
  | { do: 'tap'; title: string }
  | { do: 'wait'; ms: number }
  /** The store reports an order for the scenario's cart. */
  | { do: 'order-for-cart' }
  | { do: 'hand-back' }
  | { do: 'resolve' }

interface Scenario {
  name: string
  /** The trigger step to start at, in a flow with several; else the first. */
  trigger?: string
  channel: 'webchat' | 'whatsapp'
  /** The trigger's local hour in the shopper's zone (Europe/Berlin): quiet hours are 21:00–08:00. */
  startHour: number
  actions: Action[]
}

// Scripts for the starters we know; any other starter (a new template) gets `defaultScenarios`.
const scenarios: Record<string, Scenario[]> = {
  'cart-recovery': [
    {
      // +1 h lands at 21:00: deferred to 08:00. +24 h sent. +72 h: the third marketing send in 72 h is over
      // the cap of two. Then the run ends not recovered.
      name: 'reminders through quiet hours and the frequency cap',
      channel: 'webchat',
      startHour: 20,
      actions: [{ do: 'start' }, { do: 'wait', ms: 4 * DAY }],
    },
    {
      name: 'the shopper answers, staff hand back',
      channel: 'webchat',
      startHour: 10,
      actions: [
        { do: 'start' },
        { do: 'wait', ms: 2 * HOUR },
        { do: 'say', text: 'Does the hoodie run small?' },
        { do: 'wait', ms: 10 * MINUTE },
        { do: 'hand-back' },
        { do: 'wait', ms: DAY },
      ],
    },
    {
      name: 'bought after the first reminder',
      channel: 'webchat',
      startHour: 12,
      actions: [
        { do: 'start' },
        { do: 'wait', ms: 3 * HOUR },
        { do: 'order-for-cart' },
        { do: 'wait', ms: 3 * DAY },
      ],
    },
    {
      // The shopper never wrote on WhatsApp: outside the 24-hour window only templates may go.
      name: 'on WhatsApp outside the service window',
      channel: 'whatsapp',
      startHour: 9,
      actions: [{ do: 'start' }, { do: 'wait', ms: 5 * DAY }],
    },
  ],
  'where-is-my-order': [
    {
      name: 'found with tracking, then all good',
      channel: 'webchat',
      startHour: 15,
      actions: [
        { do: 'start', text: 'Where is my order?' },
        { do: 'say', text: 'It is #1001' },
        { do: 'tap', title: 'No, all good' },
        { do: 'wait', ms: 2 * DAY },
      ],
    },
    {
      // 1042 is not an order of this store: as live, the simulator does not find it.
      name: 'an unknown order number goes to the team, who resolve it',
      channel: 'webchat',
      startHour: 16,
      actions: [
        { do: 'start', text: 'tracking please' },
        { do: 'say', text: '1042' },
        { do: 'wait', ms: HOUR },
        { do: 'resolve' },
        { do: 'wait', ms: DAY },
      ],
    },
    {
      name: 'the first message names the order: answered without asking',
      channel: 'webchat',
      startHour: 10,
      actions: [
        { do: 'start', text: 'where is my order 1001?' },
        { do: 'tap', title: 'No, all good' },
      ],
    },
    {
      name: "another shopper's order is not revealed",
      channel: 'webchat',
      startHour: 11,
      actions: [{ do: 'start', text: 'order status' }, { do: 'say', text: '#1003' }, { do: 'hand-back' }],
    },
  ],
  'returns-triage': [
    {
      name: 'collects the details, then the team hands back',
      channel: 'webchat',
      startHour: 14,
      actions: [
        { do: 'start', text: 'I want to return my hoodie' },
        { do: 'say', text: '1001' },
        { do: 'tap', title: 'Wrong size' },
        { do: 'say', text: 'no photo, sorry' },
        { do: 'say', text: 'still none' },
        // Inside the queue's unclaimed timeout (15 minutes): after it, the bot has the chat again.
        { do: 'wait', ms: 10 * MINUTE },
        { do: 'hand-back' },
      ],
    },
  ],
  'product-questions': [
    {
      name: 'answered from the catalogue',
      channel: 'webchat',
      startHour: 13,
      actions: [
        { do: 'start', text: 'Is the Classic Hoodie available in navy?' },
        { do: 'wait', ms: DAY },
      ],
    },
    {
      name: 'not in the catalogue: the team answers and resolves',
      channel: 'webchat',
      startHour: 22,
      actions: [{ do: 'start', text: 'Do you ship to Iceland?' }, { do: 'resolve' }],
    },
  ],
  'shipping-updates': [
    {
      name: 'shipped, with the tracking link',
      trigger: 'shipped',
      channel: 'webchat',
      startHour: 10,
      actions: [{ do: 'start' }, { do: 'wait', ms: DAY }],
    },
    {
      name: 'delivered',
      trigger: 'delivered',
      channel: 'webchat',
      startHour: 15,
      actions: [{ do: 'start' }, { do: 'wait', ms: DAY }],
    },
    {
      name: 'a delivery problem: the shopper wants a person, the team resolves it',
      trigger: 'problem',
      channel: 'webchat',
      startHour: 11,
      actions: [{ do: 'start' }, { do: 'tap', title: 'Yes, please' }, { do: 'resolve' }],
    },
    {
      // Outside the 24-hour window on WhatsApp the update goes as its utility template.
      name: 'shipped, on WhatsApp outside the service window',
      trigger: 'shipped',
      channel: 'whatsapp',
      startHour: 9,
      actions: [{ do: 'start' }, { do: 'wait', ms: DAY }],
    },
  ],
  'post-purchase-cross-sell': [
    {
      name: 'three days after the order',
      channel: 'webchat',
      startHour: 18,
      actions: [{ do: 'start' }, { do: 'wait', ms: 4 * DAY }],
    },
  ],
}

function triggerEvent(flow: StarterFlow, nodeId?: string) {
  for (const node of flow.doc.nodes) {
    const trigger = getNodeKind(node.kind)?.facts(node.config).trigger
    if (trigger && (nodeId === undefined || node.id === nodeId)) return { nodeId: node.id, trigger }
  }
  throw new Error(`${flow.id} has no trigger`)
}

/** A starter without a script: trigger it, tap the first button offered a few times, let a few days pass. */
function defaultScenarios(flow: StarterFlow): Scenario[] {
  const { trigger } = triggerEvent(flow)
  const text =
    trigger.event === 'message.received'
      ? trigger.match === 'keyword'
        ? trigger.keywords[0]
        : 'Hello'
      : undefined
  return [
    {
      name: 'default script',
      channel: 'webchat',
      startHour: 12,
      actions: [
        { do: 'start', ...(text ? { text } : {}) },
        { do: 'tap', title: '' },
        { do: 'tap', title: '' },
        { do: 'wait', ms: 4 * DAY },
      ],
    },
  ]
}

/** One line of the shopper's transcript, the same shape for both sides. */
interface Line {
  from: 'shopper' | 'bot'
  text: string
  imageUrl?: string
  buttons?: string[]
  product?: OutboundMessage['product']
  template?: string
  /** 'sent', 'deferred until <ISO>' or 'skipped: <reason>'. */
  delivery?: string
}

function lineOf(from: Line['from'], message: OutboundMessage & { template?: { name: string } }): Line {
  const line: Line = { from, text: message.text }
  if (from === 'shopper') return line
  if (message.imageUrl) line.imageUrl = message.imageUrl
  if (message.buttons?.length) line.buttons = message.buttons.map((b) => b.title)
  if (message.product) line.product = message.product
  if (message.template) line.template = message.template.name
  return line
}

function simulatedLine(m: SimulatedMessage): Line {
  const line = lineOf(m.from === 'shopper' ? 'shopper' : 'bot', m.message)
  const d = m.delivery
  if (!d) return line
  if (m.template) line.template = m.template
  line.delivery =
    d.kind === 'sent'
      ? 'sent'
      : d.kind === 'deferred'
        ? `deferred until ${new Date(d.until).toISOString()}`
        : d.kind === 'held'
          ? 'held'
          : `skipped: ${d.skipReason}`
  return line
}

/** The next instant at or after `from` when the clock is `hour`:00 in Berlin (CET in January: UTC+1). */
function nextBerlinHour(from: number, hour: number): number {
  const day = Date.UTC(2026, 0, 1)
  let at = day + (hour - 1) * HOUR
  while (at <= from) at += DAY
  return at
}

describe.each(testDatabases())('simulator and runtime give the same transcript on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  const webchat = new RecordingAdapter('webchat')
  const whatsapp = new RecordingAdapter('whatsapp')

  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat, whatsapp } })
    app = createApp(t.deps)
  }, 180_000)
  afterAll(() => t?.close())

  /** Moves the runtime's clock to `target`, stopping at every due cart, timer and send on the way. */
  async function advanceTo(merchantId: string, target: number) {
    for (let i = 0; i < 500; i++) {
      const next = await nextDue(merchantId)
      if (next === null || next > target) break
      t.clock.set(Math.max(t.clock.now(), next))
      await runDueWork(t.deps)
    }
    t.clock.set(Math.max(t.clock.now(), target))
    await runDueWork(t.deps)
  }

  async function nextDue(merchantId: string): Promise<number | null> {
    const [timer, cart, send] = await Promise.all([
      t.deps.db
        .selectFrom('timers')
        .select((eb) => eb.fn.min('due_at').as('at'))
        .where('merchant_id', '=', merchantId)
        .executeTakeFirst(),
      t.deps.db
        .selectFrom('carts')
        .select((eb) => eb.fn.min('abandon_at').as('at'))
        .where('merchant_id', '=', merchantId)
        .where('status', '=', 'active')
        .executeTakeFirst(),
      t.deps.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .where('merchant_id', '=', merchantId)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    ])
    const times = [timer?.at, cart?.at, send?.at].flatMap((at) => (at ? [new Date(at).getTime()] : []))
    return times.length ? Math.min(...times) : null
  }

  async function seedWorld(merchantId: string, contactId: string) {
    await t.deps.db
      .updateTable('merchants')
      .set({
        name: 'Hoodie Hut',
        timezone: 'Europe/Berlin',
        quiet_hours_start_minute: 21 * 60,
        quiet_hours_end_minute: 8 * 60,
        frequency_cap_count: 2,
        frequency_cap_window_minutes: 72 * 60,
      })
      .where('id', '=', merchantId)
      .execute()
    await t.deps.db
      .insertInto('products')
      .values([
        {
          merchant_id: merchantId,
          external_id: 'shop-hoodie',
          title: 'Classic Hoodie',
          description: 'Heavyweight cotton fleece. Brushed inside.',
          price: '59.00',
          currency: 'USD',
          attributes: { colors: ['black', 'navy'], sizes: ['S', 'M', 'L'], fit: 'runs true to size' },
        },
        {
          merchant_id: merchantId,
          external_id: 'shop-tote',
          title: 'Canvas Tote',
          description: 'Fits a laptop.',
          price: '25.00',
          currency: 'USD',
          in_stock: false,
        },
        // In stock and not bought: what the post-purchase flow can suggest.
        {
          merchant_id: merchantId,
          external_id: 'shop-beanie',
          title: 'Merino Beanie',
          description: 'Soft merino wool.',
          price: '29.00',
          currency: 'USD',
          image_url: 'https://cdn.example/beanie.jpg',
        },
      ])
      .execute()
    const other = await t.deps.db
      .insertInto('contacts')
      .values({ merchant_id: merchantId, name: 'Someone Else' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const placed = new Date(t.clock.now() - 5 * DAY)
    await t.deps.db
      .insertInto('orders')
      .values([
        {
          merchant_id: merchantId,
          number: '1001',
          contact_id: contactId,
          total: '59.00',
          currency: 'USD',
          status: 'shipped',
          items: jsonb([{ title: 'Classic Hoodie', quantity: 1, price: 59 }]),
          tracking_number: 'JD0146000031',
          tracking_carrier: 'DHL',
          tracking_url: 'https://track.example/JD0146000031',
          created_at: placed,
        },
        {
          merchant_id: merchantId,
          number: '1003',
          contact_id: other.id,
          total: '25.00',
          currency: 'USD',
          status: 'paid',
          created_at: placed,
        },
      ])
      .execute()
  }

  /** Plays a scenario live and in the simulator, action by action at the same instants. */
  async function play(flow: StarterFlow, scenario: Scenario, n: number) {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, scenario.channel)
    const doc = parseFlowDocument(structuredClone(flow.doc))
    if (!doc.ok) throw new Error(`${flow.id} does not parse`)
    await publishFlowDocument(t.deps.db, merchant.merchantId, doc.doc)
    const key = await apiKey(owner)
    const { nodeId: triggerNodeId, trigger } = triggerEvent(flow, scenario.trigger)

    // The shopper: a web-chat visitor (or a WhatsApp number) whose cart the store reports 30 minutes before
    // the trigger's hour. The cart is what a cart-recovery run is about; for other flows it is just there.
    const startAt = nextBerlinHour(t.clock.now() + DAY, scenario.startHour)
    t.clock.set(startAt - 30 * MINUTE)
    const visitor = scenario.channel === 'webchat' ? await webchatSession(channel.id) : null
    const externalId = visitor?.visitorId ?? `+4917000${kind.length}${n}`
    const cartToken = `cart-${kind}-${n}`
    const event = cartUpdated({
      id: `evt-${kind}-${n}`,
      channelId: channel.id,
      visitorId: externalId,
      token: cartToken,
    })
    event.cart.items[0] = {
      title: 'Classic Hoodie',
      image: 'https://cdn.example/classic-hoodie.jpg',
      price: 59,
      quantity: 1,
      url: 'https://hoodie-hut.example/p/classic-hoodie',
      productId: 'shop-hoodie',
    }
    Object.assign(event.cart, { value: 59, currency: 'USD' })
    expect((await postEvent(key, event)).status).toBe(202)
    const identity = await t.deps.db
      .selectFrom('contact_identities')
      .select('contact_id')
      .where('merchant_id', '=', merchant.merchantId)
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow()
    const contactId = identity.contact_id
    await seedWorld(merchant.merchantId, contactId)

    let world = await fetchWorld(owner, contactId)
    let sim: WorldSimulation | null = null
    const newSim = (w: SimulationWorldResponse, at: number) =>
      new WorldSimulation(doc.doc, w, { channel: scenario.channel as SendChannelKind, startAt: at })

    for (const action of scenario.actions) {
      switch (action.do) {
        case 'start': {
          if (trigger.event === 'cart.abandoned') {
            await advanceTo(merchant.merchantId, startAt)
            sim = newSim(world, startAt)
            sim.start({ triggerNodeId })
          } else if (
            trigger.event === 'order.created' ||
            trigger.event === 'order.shipped' ||
            trigger.event === 'order.delivered' ||
            trigger.event === 'order.delivery_problem'
          ) {
            await advanceTo(merchant.merchantId, startAt)
            const res = await postEvent(key, {
              id: `evt-${kind}-${n}-order`,
              type: 'order.created',
              contact: { channelId: channel.id, externalId },
              order: {
                id: `shop-order-${n}`,
                number: `20${n}`,
                total: '59.00',
                currency: 'USD',
                items: [{ title: 'Classic Hoodie', quantity: 1, price: 59, productId: 'shop-hoodie' }],
              },
            })
            expect(res.status).toBe(202)
            if (trigger.event !== 'order.created') {
              const shipment = await postEvent(key, {
                id: `evt-${kind}-${n}-${trigger.event}`,
                type: trigger.event,
                order: {
                  number: `20${n}`,
                  trackingNumber: `JD0${n}`,
                  carrier: 'DHL',
                  trackingUrl: `https://track.example/JD0${n}`,
                },
              })
              expect(shipment.status).toBe(202)
            }
            await runDueWork(t.deps)
            // The editor's merchant picks the order from the world, as it now is.
            world = await fetchWorld(owner, contactId)
            sim = newSim(world, startAt)
            sim.start({ triggerNodeId, order: world.orders.findIndex((o) => o.number === `20${n}`) })
          } else {
            await advanceTo(merchant.merchantId, startAt)
            const text = action.text ?? 'Hello'
            await say(channel.id, visitor, text)
            sim = newSim(world, startAt)
            sim.start({ triggerNodeId, text })
          }
          break
        }
        case 'say':
          await say(channel.id, visitor, action.text)
          sim?.reply(action.text)
          break
        case 'tap': {
          const live = await liveButton(merchant.merchantId, contactId, action.title)
          const simulated = sim?.messages.filter((m) => m.from === 'bot').at(-1)?.message.buttons
          const button = simulated?.find((b) => action.title === '' || b.title === action.title)
          expect(live?.id, 'the same button is offered on both sides').toBe(button?.id)
          if (live) await say(channel.id, visitor, live.title, live.id)
          if (button) sim?.reply(button.title, button.id)
          break
        }
        case 'wait': {
          const until = t.clock.now() + action.ms
          await advanceTo(merchant.merchantId, until)
          sim?.advanceTo(until)
          break
        }
        case 'order-for-cart': {
          const res = await postEvent(key, {
            id: `evt-${kind}-${n}-bought`,
            type: 'order.created',
            contact: { channelId: channel.id, externalId },
            order: { id: `shop-bought-${n}`, number: `30${n}`, cartToken, total: '59.00', currency: 'USD' },
          })
          expect(res.status).toBe(202)
          await runDueWork(t.deps)
          sim?.orderCreated({
            id: `shop-bought-${n}`,
            number: `30${n}`,
            total: 59,
            currency: 'USD',
            cartToken,
          })
          break
        }
        case 'hand-back':
        case 'resolve': {
          const conversation = await t.deps.db
            .selectFrom('conversations')
            .select('id')
            .where('merchant_id', '=', merchant.merchantId)
            .where('contact_id', '=', contactId)
            .executeTakeFirstOrThrow()
          const res = await app.request(`/api/conversations/${conversation.id}/${action.do}`, {
            method: 'POST',
            headers: owner.write,
          })
          expect(res.status, await res.clone().text()).toBe(200)
          await runDueWork(t.deps)
          if (action.do === 'hand-back') sim?.handBack()
          else sim?.resolve()
          break
        }
      }
    }

    const live = await liveTranscript(merchant.merchantId, contactId)
    const simulated = (sim?.messages ?? []).map(simulatedLine)
    const run = await t.deps.db
      .selectFrom('runs')
      .select(['status', 'outcome'])
      .where('merchant_id', '=', merchant.merchantId)
      .executeTakeFirstOrThrow()
    // What the fake channel delivered is what the transcript says was sent or deferred, in order.
    const adapter = scenario.channel === 'webchat' ? webchat : whatsapp
    const delivered = adapter.sends
      .filter((s) => s.channelId === channel.id)
      .map((s) => s.payload.message.text)
      // The handoff's own line to the shopper (a system notice, inbox/handoff-notices.ts) is not the flow's.
      .filter((text) => text !== BACK_TO_ASSISTANT_TEXT)
    expect(delivered).toEqual(
      live.filter((l) => l.from === 'bot' && !l.delivery?.startsWith('skipped')).map((l) => l.text),
    )
    return { live, simulated, liveRun: run, simRun: { status: sim?.status, outcome: sim?.outcome ?? null } }
  }

  async function apiKey(owner: SignedIn): Promise<string> {
    const res = await app.request('/api/api-keys', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ name: 'store' }),
    })
    return ((await res.json()) as { key: string }).key
  }

  const postEvent = (key: string, body: unknown) =>
    app.request('/api/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  async function fetchWorld(owner: SignedIn, contactId: string): Promise<SimulationWorldResponse> {
    const res = await app.request(`/api/simulation-world?contactId=${contactId}`, { headers: owner.read })
    expect(res.status).toBe(200)
    return (await res.json()) as SimulationWorldResponse
  }

  async function webchatSession(channelId: string) {
    const res = await app.request(`/api/webchat/${channelId}/session`, { method: 'POST' })
    expect(res.status).toBe(201)
    return (await res.json()) as { token: string; visitorId: string }
  }

  let messageCount = 0
  async function say(channelId: string, visitor: { token: string } | null, text: string, buttonId?: string) {
    if (!visitor) throw new Error('scripts only talk on web chat')
    const res = await app.request(`/api/webchat/${channelId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${visitor.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientMessageId: `m${++messageCount}`,
        text,
        ...(buttonId ? { buttonId } : {}),
      }),
    })
    expect(res.status).toBe(202)
    await runDueWork(t.deps)
  }

  async function liveButton(merchantId: string, contactId: string, title: string) {
    const last = await t.deps.db
      .selectFrom('messages')
      .select('body')
      .where('merchant_id', '=', merchantId)
      .where('contact_id', '=', contactId)
      .where('author', '=', 'bot')
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .executeTakeFirst()
    const buttons = (last?.body as OutboundMessage | undefined)?.buttons ?? []
    return buttons.find((b) => title === '' || b.title === title)
  }

  async function liveTranscript(merchantId: string, contactId: string): Promise<Line[]> {
    const rows = await t.deps.db
      .selectFrom('messages')
      .select(['author', 'body', 'status', 'skip_reason', 'created_at', 'sent_at'])
      .where('merchant_id', '=', merchantId)
      .where('contact_id', '=', contactId)
      .where('author', 'in', ['shopper', 'bot'])
      .orderBy('created_at')
      .orderBy('seq')
      .execute()
    return rows.map((row) => {
      const line = lineOf(row.author as Line['from'], row.body as unknown as OutboundMessage)
      if (row.author !== 'bot') return line
      if (row.status === 'skipped') line.delivery = `skipped: ${row.skip_reason}`
      else if (!row.sent_at) line.delivery = `not delivered (${row.status})`
      // A send the relay held back: quiet hours (pacing waits are milliseconds, never a minute).
      else if (row.sent_at.getTime() - row.created_at.getTime() >= MINUTE)
        line.delivery = `deferred until ${row.sent_at.toISOString()}`
      else line.delivery = 'sent'
      return line
    })
  }

  let n = 0
  for (const flow of starterFlows) {
    for (const scenario of scenarios[flow.id] ?? defaultScenarios(flow)) {
      it(`${flow.title}: ${scenario.name}`, { timeout: 60_000 }, async () => {
        const { live, simulated, liveRun, simRun } = await play(flow, scenario, ++n)
        expect(live.length).toBeGreaterThan(0)
        expect(simulated).toEqual(live)
        expect(simRun).toEqual({ status: liveRun.status, outcome: liveRun.outcome })
      })
    }
  }
})
