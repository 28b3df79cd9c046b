import { describe, expect, it } from 'vitest'
import { checkNode, runNode } from './node-test-kit.ts'
import { triggerMessage, triggerMessageDefaults } from './trigger-message.ts'

describe('trigger-message', () => {
  it('parses its defaults: any message', () => {
    expect(triggerMessage.configSchema.parse(triggerMessageDefaults)).toEqual({ match: 'any', keywords: [] })
    expect(triggerMessage.facts(triggerMessageDefaults)).toMatchObject({
      trigger: { event: 'message.received', match: 'any' },
      opensWindow: ['next'],
      writes: ['reply'],
    })
  })

  it('describes keyword triggers with their keywords', () => {
    const facts = triggerMessage.facts({ match: 'keyword', keywords: ['where is my order', 'tracking'] })
    expect(facts.trigger).toEqual({
      event: 'message.received',
      match: 'keyword',
      keywords: ['where is my order', 'tracking'],
    })
  })

  it('flags a keyword trigger without keywords', () => {
    expect(checkNode('trigger-message', { match: 'keyword', keywords: [' '] }).map((i) => i.message)).toEqual(
      ["'Step' starts on keywords but has none"],
    )
    expect(checkNode('trigger-message', { match: 'any', keywords: [] })).toEqual([])
  })

  it('keeps the triggering message as the reply for the next step', () => {
    const run = runNode(
      'trigger-message',
      {},
      { vars: { trigger: { type: 'message.received', text: 'Is it in blue?' } } },
    )
    expect(run.outcome).toBe('next')
    expect((run.snapshot.context as { vars: { reply: string } }).vars.reply).toBe('Is it in blue?')
  })
})
