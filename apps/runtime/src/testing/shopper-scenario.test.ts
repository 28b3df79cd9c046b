// The scenario kit itself: a greeting over the web-chat API starts the published welcome flow, and a store
// event with the API key is accepted, on both backends.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenarioWorld, type ScenarioWorld } from './shopper-scenario.ts'

describe.each(testDatabases())('the shopper scenario kit on %s', (kind) => {
  let world: ScenarioWorld
  beforeAll(async () => {
    world = await createScenarioWorld(kind)
  })
  afterAll(() => world?.close())

  it('greets a visitor who says hi with the store name, through the web-chat API', async () => {
    const store = await world.store({ starterFlows: ['welcome'], name: 'North Thread' })
    const shopper = await store.visitor()
    expect((await shopper.say('hi')).status).toBe(202)
    expect(shopper.texts()[0]).toContain('welcome to North Thread')
    // Another store's visitor never sees it.
    const other = await (await world.store({ starterFlows: ['welcome'] })).visitor()
    expect(other.texts()).toEqual([])
  })

  it('takes a store event with the API key and refuses one without', async () => {
    const store = await world.store()
    const event = {
      id: `scenario-order-${kind}`,
      type: 'order.created',
      order: { id: 'o-1', number: '1001', total: '20.00', currency: 'USD' },
    }
    expect((await store.event(event)).status).toBe(202)
    expect((await store.event(event)).body).toMatchObject({ duplicate: true })
    const anonymous = await world.app.request('/api/events', { method: 'POST', body: JSON.stringify(event) })
    expect(anonymous.status).toBe(401)
  })
})
