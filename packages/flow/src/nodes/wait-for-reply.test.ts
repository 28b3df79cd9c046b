import { describe, expect, it } from 'vitest'
import { checkNode, HOUR, runNode, T0 } from './node-test-kit.ts'
import { waitForReply, waitForReplyDefaults } from './wait-for-reply.ts'

const branches = [
  { id: 'yes', title: 'Yes please', keywords: ['yes', 'sure'] },
  { id: 'no', title: 'No thanks', keywords: ['not now'] },
]

describe('wait-for-reply', () => {
  it('parses its defaults and lists handles per branch, anything else and timeout', () => {
    expect(waitForReply.configSchema.parse(waitForReplyDefaults)).toEqual(waitForReplyDefaults)
    expect(
      waitForReply.handles({ branches, timeout: { amount: 2, unit: 'hours' } }).map((h) => h.id),
    ).toEqual(['yes', 'no', 'anything', 'timeout'])
    expect(waitForReply.handles({ branches: [], timeout: null }).map((h) => h.id)).toEqual(['anything'])
  })

  it('reports reply handles as opening the window and the timeout timing', () => {
    const facts = waitForReply.facts({ branches, timeout: { amount: 2, unit: 'hours' } })
    expect(facts.opensWindow).toEqual(['yes', 'no', 'anything'])
    expect(facts.timing.timeout).toEqual({ min: 2 * HOUR, max: 2 * HOUR })
    expect(facts.timing.yes).toEqual({ min: 0, max: 2 * HOUR })
    expect(waitForReply.facts({ branches: [], timeout: null }).timing.anything!.max).toBe(
      Number.POSITIVE_INFINITY,
    )
    expect(facts).toMatchObject({ waits: true, writes: ['reply'] })
  })

  it('flags duplicate or reserved branch ids and a non-positive timeout', () => {
    const issues = checkNode('wait-for-reply', {
      branches: [branches[0], { ...branches[0] }, { id: 'timeout', title: 'x', keywords: [] }],
      timeout: { amount: 0, unit: 'hours' },
    })
    expect(issues.map((i) => i.code).sort()).toEqual([
      'duplicate_branch',
      'duplicate_branch',
      'non_positive_delay',
    ])
  })

  it('branches on a tapped button, a typed title or a keyword, and stores the reply', () => {
    const tap = runNode('wait-for-reply', { branches })
    tap.send({ type: 'message.received', text: 'Yes please', buttonId: 'yes' })
    expect(tap.outcome).toBe('yes')
    const typed = runNode('wait-for-reply', { branches })
    typed.send({ type: 'message.received', text: '  no THANKS! ' })
    expect(typed.outcome).toBe('no')
    const keyword = runNode('wait-for-reply', { branches })
    keyword.send({ type: 'message.received', text: 'Maybe, but not now' })
    expect(keyword.outcome).toBe('no')
    expect((keyword.snapshot.context as { vars: Record<string, unknown> }).vars.reply).toBe(
      'Maybe, but not now',
    )
  })

  it('matches keywords as whole words only, and anything else goes to its own handle', () => {
    const run = runNode('wait-for-reply', { branches })
    run.send({ type: 'message.received', text: 'yesterday I ordered' })
    expect(run.outcome).toBe('anything')
  })

  it('takes the timeout when nobody answers, and cancels it on a reply', () => {
    const silent = runNode('wait-for-reply', { branches, timeout: { amount: 3, unit: 'hours' } })
    silent.advanceTo(T0 + 3 * HOUR)
    expect(silent.outcome).toBe('timeout')
    const answered = runNode('wait-for-reply', { branches, timeout: { amount: 3, unit: 'hours' } })
    const result = answered.send({ type: 'message.received', text: 'sure' })
    expect(result.timers.cancel).toEqual(['xstate.after.n.timeout.flow.n'])
    expect(answered.outcome).toBe('yes')
  })
})

describe('wait for reply outputs', () => {
  it('has an output per answer, "Anything else" and "No reply", named in words, never by id', () => {
    const handles = waitForReply.handles({
      branches: [
        { id: 'b_yes', title: 'Yes please', keywords: [] },
        { id: 'b_size', title: '', keywords: ['size', 'fit'] },
        { id: 'b_x9', title: ' ', keywords: [] },
      ],
      timeout: { amount: 23, unit: 'hours' },
    })
    expect(handles.map((h) => [h.id, h.label])).toEqual([
      ['b_yes', 'Yes please'],
      ['b_size', '“size”, “fit”'],
      ['b_x9', 'Answer 3'],
      ['anything', 'Anything else'],
      ['timeout', 'No reply'],
    ])
    expect(waitForReply.handles({ branches: [], timeout: null }).map((h) => h.label)).toEqual([
      'Anything else',
    ])
  })
})

describe('wait for reply on intents', () => {
  const intents = ['not_interested', 'wants_person'] as const

  it('has an output per ticked intent, labelled in words and in one fixed order, after the answers', () => {
    const handles = waitForReply.handles({ branches, intents: [...intents], timeout: null })
    expect(handles.map((h) => [h.id, h.label])).toEqual([
      ['yes', 'Yes please'],
      ['no', 'No thanks'],
      ['intent-wants_person', 'Wants to talk to a person'],
      ['intent-not_interested', 'Says no or not interested'],
      ['anything', 'Anything else'],
    ])
    const facts = waitForReply.facts({ branches: [], intents: [...intents], timeout: null })
    expect(facts.opensWindow).toEqual(['intent-wants_person', 'intent-not_interested', 'anything'])
    expect(facts.timing['intent-wants_person']).toEqual({ min: 0, max: Number.POSITIVE_INFINITY })
  })

  it('accepts documents from before intents and refuses an intent twice or one it cannot branch on', () => {
    const schema = waitForReply.configSchema
    expect(schema.safeParse({ branches: [], timeout: null }).success).toBe(true)
    expect(schema.safeParse({ branches: [], intents: ['return', 'return'], timeout: null }).success).toBe(
      false,
    )
    expect(schema.safeParse({ branches: [], intents: ['stop'], timeout: null }).success).toBe(false)
    expect(schema.safeParse({ branches: [], intents: ['unknown'], timeout: null }).success).toBe(false)
  })

  it('flags a branch whose id is an intent output', () => {
    const issues = checkNode('wait-for-reply', {
      branches: [{ id: 'intent-return', title: 'Return', keywords: [] }],
      intents: ['return'],
      timeout: null,
    })
    expect(issues.map((i) => i.code)).toEqual(['duplicate_branch'])
  })

  it('branches on what the reply wants, by the rules when the host did not classify it', () => {
    const person = runNode('wait-for-reply', { branches, intents: [...intents] })
    person.send({ type: 'message.received', text: 'can I talk to a human please' })
    expect(person.outcome).toBe('intent_wants_person')
    expect((person.snapshot.context as { vars: Record<string, unknown> }).vars.reply).toBe(
      'can I talk to a human please',
    )
    const no = runNode('wait-for-reply', { branches: [], intents: [...intents] })
    no.send({ type: 'message.received', text: 'nah, not interested 👎' })
    expect(no.outcome).toBe('intent_not_interested')
    // An intent nobody ticked goes to "Anything else".
    const order = runNode('wait-for-reply', { branches: [], intents: [...intents] })
    order.send({ type: 'message.received', text: 'where is my parcel' })
    expect(order.outcome).toBe('anything')
  })

  it("takes the host's intent over the rules' (the LLM may know better), and buttons and keywords first", () => {
    const hosted = runNode('wait-for-reply', { branches: [], intents: ['return'] })
    hosted.send({ type: 'message.received', text: 'the zip came off on day two', intent: 'return' })
    expect(hosted.outcome).toBe('intent_return')
    const keyword = runNode('wait-for-reply', { branches, intents: ['not_interested'] })
    keyword.send({ type: 'message.received', text: 'no thanks' })
    expect(keyword.outcome).toBe('no')
    const tapped = runNode('wait-for-reply', { branches, intents: ['wants_person'] })
    tapped.send({ type: 'message.received', text: 'a person', buttonId: 'yes' })
    expect(tapped.outcome).toBe('yes')
  })
})
