import { getStarterFlow, parseFlowDocument } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { SimulatorHost } from './simulator-host.ts'

const HOUR = 60 * 60 * 1000
const T0 = Date.UTC(2025, 4, 6, 9, 0)

function cartRecovery() {
  const parsed = parseFlowDocument(JSON.parse(JSON.stringify(getStarterFlow('cart-recovery')!.doc)))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.doc
}

describe('simulator host on the cart-recovery starter flow', () => {
  it('plays three messages at +1 h, +24 h and +72 h by skipping to each timer', () => {
    const sim = new SimulatorHost(cartRecovery(), T0)
    sim.start('cart-abandoned')
    expect(sim.view.status).toBe('active')
    expect(sim.view.activeNodeIds).toEqual(['wait-1h'])
    expect(sim.view.timers).toHaveLength(1)

    const botMessages = () => sim.view.messages.filter((m) => m.from === 'bot')
    sim.skipToNextTimer()
    expect((sim.view.now - T0) / HOUR).toBe(1)
    expect(botMessages()).toHaveLength(1)
    expect(botMessages()[0]!.message.text).toContain('Linen Overshirt')
    sim.skipToNextTimer()
    expect((sim.view.now - T0) / HOUR).toBe(24)
    sim.skipToNextTimer()
    expect((sim.view.now - T0) / HOUR).toBe(72)
    expect(botMessages().map((m) => m.nodeId)).toEqual(['reminder', 'social-proof', 'personal-offer'])
    expect(botMessages()[2]!.message.text).toContain('COMEBACK10')
    expect(sim.view.log.some((l) => l.kind === 'effect' && l.text.includes('COMEBACK10'))).toBe(true)
  })

  it('a purchase ends the run as recovered and cancels the pending timer', () => {
    const sim = new SimulatorHost(cartRecovery(), T0)
    sim.start('cart-abandoned')
    sim.advance(HOUR)
    sim.advance(23 * HOUR)
    sim.advance(48 * HOUR)
    expect(sim.view.messages.filter((m) => m.from === 'bot')).toHaveLength(3)
    expect(sim.view.timers).toHaveLength(1)
    sim.placeOrder()
    expect(sim.view.status).toBe('done')
    expect(sim.view.outcome).toBe('recovered')
    expect(sim.view.timers).toEqual([])
    expect(sim.view.activeNodeIds).toEqual([])
    sim.advance(100 * HOUR)
    expect(sim.view.messages.filter((m) => m.from === 'bot')).toHaveLength(3)
  })

  it('+1 h steps fire timers in order and a reply hands the chat to the team', () => {
    const sim = new SimulatorHost(cartRecovery(), T0)
    sim.start('cart-abandoned')
    sim.advance(HOUR)
    sim.advance(HOUR)
    sim.reply('Does it come in blue?')
    expect(sim.view.log.some((l) => l.kind === 'escalate' && l.text.includes('sales'))).toBe(true)
    // The run waits for staff to hand back; no more bot messages meanwhile.
    expect(sim.view.activeNodeIds).toEqual(['hand-to-team'])
    expect(sim.view.messages.filter((m) => m.from === 'bot')).toHaveLength(1)
  })
})
