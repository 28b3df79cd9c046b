// Issue 14, intents of free-text replies, through the HTTP API as a shopper meets them: a flow waits for the
// shopper's answer and branches on what the answer wants — a person, their order — with "Anything else" for the
// rest; on both backends.
import { testDatabases } from '@parley/db/testing'
import { edge, flowDocument, node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioWorld, type ScenarioStore, type ScenarioWorld } from '../testing/shopper-scenario.ts'

const helpDesk = flowDocument(
  [
    node('t', 'trigger-message', { match: 'keyword', keywords: ['help'] }, 'Asks for help'),
    node('ask', 'send-message', { text: 'Happy to help! What do you need?' }, 'Ask'),
    node('w', 'wait-for-reply', { intents: ['order_status', 'wants_person'], timeout: null }, 'Their answer'),
    node('person', 'send-message', { text: 'Getting a person from our team for you.' }, 'Person path'),
    node('order', 'send-message', { text: 'Let me find your order.' }, 'Order path'),
    node('other', 'send-message', { text: 'Got it, thanks!' }, 'Anything else'),
    node('end', 'end'),
  ],
  [
    edge('t', 'ask'),
    edge('ask', 'w'),
    edge('w', 'person', 'intent-wants_person'),
    edge('w', 'order', 'intent-order_status'),
    edge('w', 'other', 'anything'),
    edge('person', 'end'),
    edge('order', 'end'),
    edge('other', 'end'),
  ],
)

describe.each(testDatabases())('reply intents through the HTTP API on %s', (kind) => {
  let world: ScenarioWorld
  let store: ScenarioStore
  beforeAll(async () => {
    world = await createScenarioWorld(kind)
    store = await world.store({ flows: [{ name: 'Help desk', document: helpDesk }] })
  }, 300_000)
  afterAll(() => world?.close())

  async function conversation(answer: string) {
    const shopper = await store.visitor()
    expect((await shopper.say('help')).status).toBe(202)
    expect(shopper.texts()).toEqual(['Happy to help! What do you need?'])
    expect((await shopper.say(answer)).status).toBe(202)
    return shopper.texts().slice(1)
  }

  it('takes the person path on "can I talk to a human please"', async () => {
    expect(await conversation('can I talk to a human please')).toEqual([
      'Getting a person from our team for you.',
    ])
  })

  it('takes the order path on "where is my parcel", in English or German', async () => {
    expect(await conversation('where is my parcel')).toEqual(['Let me find your order.'])
    expect(await conversation('wo ist meine Bestellung?')).toEqual(['Let me find your order.'])
  })

  it('sends an intent nobody branched on to "Anything else"', async () => {
    expect(await conversation('no thanks')).toEqual(['Got it, thanks!'])
  })
})
