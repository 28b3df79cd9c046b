import { describe, expect, it } from 'vitest'
import { compile } from './compile.ts'
import type { OrderEventPayload } from './events.ts'
import { parseFlowDocument } from './parse.ts'
import { SimulatedRun } from './simulated-run.ts'

const order = (cartToken?: string): OrderEventPayload => ({
  id: 'o',
  number: '1',
  total: 10,
  currency: 'USD',
  cartToken,
})

function runWith(settings: unknown, vars: Record<string, unknown> = {}, cartToken?: string) {
  const parsed = parseFlowDocument({
    version: 1,
    name: 'compile test',
    settings,
    nodes: [
      { id: 't', kind: 'trigger-cart-abandoned', position: { x: 0, y: 0 }, config: {} },
      { id: 'w', kind: 'wait-for-reply', position: { x: 0, y: 1 }, config: { timeout: null } },
      { id: 'e', kind: 'end', position: { x: 0, y: 2 }, config: { outcome: 'replied' } },
    ],
    edges: [
      { id: '1', source: 't', target: 'w' },
      { id: '2', source: 'w', sourceHandle: 'anything', target: 'e' },
      // Dangling: validate reports it; compile ignores it.
      { id: '3', source: 'e', target: 'gone' },
    ],
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return new SimulatedRun(compile(parsed.doc), { vars, seed: 's', ...(cartToken ? { cartToken } : {}) }, 0)
}

describe('compile', () => {
  it('builds a machine with id "flow" and a root state per node plus dispatch and finals', () => {
    const parsed = parseFlowDocument({ version: 1, name: 'x', nodes: [], edges: [] })
    if (!parsed.ok) throw new Error('bad')
    const machine = compile(parsed.doc)
    expect(machine.id).toBe('flow')
    expect(Object.keys(machine.root.states)).toEqual(['@dispatch', '@exit', '@dead-end'])
    // A flow without triggers ends at once.
    expect(new SimulatedRun(machine, { vars: {}, seed: 's' }).outcome).toBe('no_trigger')
  })

  it('ends on an exit event for the same cart only, taking the cart token from input or cart variable', () => {
    const settings = { exitEvents: [{ event: 'order.created', outcome: 'recovered' }] }
    const fromVars = runWith(settings, { cart: { token: 'c1' } })
    fromVars.send({ type: 'order.created', order: order('c2') })
    expect(fromVars.status).toBe('active')
    fromVars.send({ type: 'order.created', order: order() })
    expect(fromVars.status).toBe('active')
    fromVars.send({ type: 'order.created', order: order('c1') })
    expect(fromVars.outcome).toBe('recovered')
    const fromInput = runWith(settings, {}, 'c9')
    fromInput.send({ type: 'order.created', order: order('c9') })
    expect(fromInput.outcome).toBe('recovered')
    // No cart at all: a same-cart exit never fires.
    const noCart = runWith(settings)
    noCart.send({ type: 'order.created', order: order('c9') })
    expect(noCart.status).toBe('active')
  })

  it('ends on any order when sameCart is off, first matching exit wins', () => {
    const run = runWith(
      {
        exitEvents: [
          { event: 'order.shipped', outcome: 'shipped', sameCart: false },
          { event: 'order.created', outcome: 'bought_this', sameCart: true },
          { event: 'order.created', outcome: 'bought_other', sameCart: false },
        ],
      },
      { cart: { token: 'c1' } },
    )
    run.send({ type: 'order.created', order: order('zzz') })
    expect(run.outcome).toBe('bought_other')
  })

  it('always ends with opted_out on contact.opted_out, whatever the settings say', () => {
    const run = runWith({ exitEvents: [{ event: 'contact.opted_out', outcome: 'something_else' }] })
    run.send({ type: 'contact.opted_out' })
    expect(run.outcome).toBe('opted_out')
  })

  it('is deterministic: two compiles of one document behave the same', () => {
    const a = runWith({}, { cart: { token: 'c' } })
    const b = runWith({}, { cart: { token: 'c' } })
    for (const run of [a, b]) run.send({ type: 'message.received', text: 'hi' })
    expect(a.last).toEqual(b.last)
    expect(a.outcome).toBe('replied')
  })
})
