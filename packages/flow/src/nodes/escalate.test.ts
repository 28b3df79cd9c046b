import { describe, expect, it } from 'vitest'
import { escalate, escalateDefaults } from './escalate.ts'
import { checkNode, HOUR, runNode, T0 } from './node-test-kit.ts'

const config = {
  queue: 'returns',
  summaryFields: [
    { label: 'Order number', path: 'order_number' },
    { label: 'Photos', path: 'photos' },
    { label: 'Email', path: 'contact.email' },
  ],
  note: 'Thanks {{contact.name}}, a teammate will take it from here.',
}
const vars = { order_number: 'A1', photos: ['https://m/1.jpg', 'https://m/2.jpg'], contact: { name: 'Sam' } }

describe('escalate', () => {
  it('parses its defaults; it waits without limit for staff', () => {
    expect(escalate.configSchema.parse(escalateDefaults)).toEqual(escalateDefaults)
    expect(escalate.handles(escalateDefaults).map((h) => h.id)).toEqual(['next', 'unclaimed'])
    expect(escalate.facts(escalateDefaults)).toMatchObject({
      sends: 0,
      waits: true,
      timing: { next: { min: 0, max: Number.POSITIVE_INFINITY } },
    })
    expect(escalate.facts(config).sends).toBe(1)
    expect(escalate.templates(config)).toEqual([
      '{{order_number}}',
      '{{photos}}',
      '{{contact.email}}',
      config.note,
    ])
  })

  it('flags a summary field shown twice', () => {
    const fields = [
      { label: 'Order', path: 'a' },
      { label: 'Order', path: 'b' },
    ]
    expect(checkNode('escalate', { summaryFields: fields }).map((i) => i.code)).toEqual([
      'duplicate_summary_field',
    ])
  })

  it('says the note, then hands over with a summary, then waits for staff', () => {
    const run = runNode('escalate', config, { vars })
    // The note before the escalation, whose handling sends the queue's "a person will reply within …".
    expect(run.last.effects).toEqual([
      {
        type: 'send',
        nodeId: 'n',
        purpose: 'service',
        message: { text: 'Thanks Sam, a teammate will take it from here.' },
      },
      {
        type: 'escalate',
        nodeId: 'n',
        queue: 'returns',
        // Photos are listed for the inbox's thumbnails; the summary says how many.
        summary: 'Order number: A1\nPhotos: 2 photos\nEmail: —',
        fields: { 'Order number': 'A1', Photos: '2 photos', Email: '' },
        photos: ['https://m/1.jpg', 'https://m/2.jpg'],
      },
    ])
    expect(run.last.timers.set).toEqual([])
    run.advanceTo(T0 + 1000 * HOUR)
    expect(run.send({ type: 'message.received', text: 'hello?' }).visited).toEqual([])
    run.send({ type: 'staff.handback' })
    expect(run.outcome).toBe('next')
  })

  it('nobody took it in time: the run ends as unclaimed, or follows "No one answered" when wired', () => {
    const ended = runNode('escalate', { note: '' }, { unwired: ['unclaimed'] })
    expect(ended.send({ type: 'staff.unclaimed' })).toMatchObject({
      status: 'done',
      outcome: 'unclaimed_by_staff',
    })
    const wired = runNode('escalate', { note: '' })
    wired.send({ type: 'staff.unclaimed' })
    expect(wired.outcome).toBe('unclaimed')
  })

  it('ends the run as resolved by staff when they resolve the conversation', () => {
    const run = runNode('escalate', { note: '' })
    expect(run.last.effects.map((e) => e.type)).toEqual(['escalate'])
    const result = run.send({ type: 'conversation.resolved' })
    expect(result).toMatchObject({ status: 'done', outcome: 'resolved_by_staff' })
  })
})
