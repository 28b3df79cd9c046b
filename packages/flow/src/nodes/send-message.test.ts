import { describe, expect, it } from 'vitest'
import { checkNode, configOf, HOUR, runNode, T0 } from './node-test-kit.ts'
import { sendMessage, sendMessageDefaults } from './send-message.ts'

const vars = {
  contact: { first_name: 'Ana' },
  cart: {
    url: 'https://s.example/c/1',
    currency: 'USD',
    items: [{ title: 'Blue Mug', price: 12.5, imageUrl: 'https://img/m.png' }],
  },
}

describe('send-message', () => {
  it('parses its defaults and has one handle taken at once', () => {
    expect(sendMessage.configSchema.parse(sendMessageDefaults)).toEqual(sendMessageDefaults)
    expect(sendMessage.handles(sendMessageDefaults).map((h) => h.id)).toEqual(['next'])
    expect(sendMessage.facts(sendMessageDefaults)).toMatchObject({
      sends: 1,
      waits: false,
      marketing: false,
      timing: { next: { min: 0, max: 0 } },
    })
  })

  it('reports marketing sends and template fallbacks in its facts', () => {
    const config = configOf('send-message', {
      text: 'x',
      purpose: 'marketing',
      whatsappTemplate: { name: 't', language: 'en', category: 'marketing', params: [] },
    }) as typeof sendMessageDefaults
    expect(sendMessage.facts(config)).toMatchObject({ marketing: true, hasTemplateFallback: true })
  })

  it('flags an empty message and WhatsApp button limits', () => {
    expect(checkNode('send-message', { text: '  ' }).map((i) => i.message)).toEqual([
      "'Step' has an empty message",
    ])
    const buttons = [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `Option ${i}` }))
    expect(checkNode('send-message', { text: 'Pick', buttons }).map((i) => i.code)).toEqual([
      'too_many_buttons',
    ])
    expect(checkNode('send-message', { text: 'Pick', buttons }, ['telegram'])).toEqual([])
    const long = [{ id: 'b', title: 'A very long button title indeed' }]
    expect(checkNode('send-message', { text: 'Pick', buttons: long }).map((i) => i.message)).toEqual([
      "Button titles are limited to 20 characters on WhatsApp ('Step')",
    ])
  })

  it('renders text, image, product card, buttons and template params from the run variables', () => {
    const run = runNode(
      'send-message',
      {
        text: 'Hi {{contact.first_name}}, {{cart.items[0].title}} is waiting',
        imageUrl: '{{cart.items[0].imageUrl}}',
        product: {
          title: '{{cart.items[0].title}}',
          imageUrl: '',
          price: '{{cart.items[0].price}}',
          currency: '{{cart.currency}}',
          url: '{{cart.url}}',
        },
        buttons: [{ id: 'yes', title: 'Yes please' }],
        purpose: 'marketing',
        whatsappTemplate: {
          name: 'hello',
          language: 'en',
          category: 'marketing',
          params: ['{{contact.first_name}}'],
        },
      },
      { vars },
    )
    expect(run.last.effects).toEqual([
      {
        type: 'send',
        nodeId: 'n',
        purpose: 'marketing',
        message: {
          text: 'Hi Ana, Blue Mug is waiting',
          imageUrl: 'https://img/m.png',
          product: { title: 'Blue Mug', price: 12.5, currency: 'USD', url: 'https://s.example/c/1' },
          buttons: [{ id: 'yes', title: 'Yes please' }],
        },
        template: { name: 'hello', language: 'en', category: 'marketing', params: ['Ana'] },
      },
    ])
    // With buttons the message waits for the answer.
    expect(run.last.visited).toEqual(['start', 'n'])
    expect(run.status).not.toBe('done')
  })

  it('a product card names its product for the catalogue, and leaves it out when the template is empty', () => {
    const card = { title: '{{cart.items[0].title}}', productId: '{{cart.items[0].productId}}' }
    const withId = runNode(
      'send-message',
      { text: 'Hi', product: card },
      {
        vars: { cart: { items: [{ title: 'Blue Mug', productId: '632910392' }] } },
      },
    )
    const sent = withId.last.effects[0] as { message: { product: unknown } }
    expect(sent.message.product).toEqual({ title: 'Blue Mug', productId: '632910392' })
    const without = runNode(
      'send-message',
      { text: 'Hi', product: card },
      {
        vars: { cart: { items: [{ title: 'Blue Mug' }] } },
      },
    )
    expect((without.last.effects[0] as { message: { product: unknown } }).message.product).toEqual({
      title: 'Blue Mug',
    })
  })

  it('makes each button its own output, typed text "Anything else", and silence "No reply"', () => {
    const buttons = [
      { id: 'more', title: 'Another question' },
      { id: 'done', title: 'No, all good' },
    ]
    const config = configOf('send-message', { text: 'Anything else?', buttons }) as typeof sendMessageDefaults
    expect(sendMessage.handles(config)).toEqual([
      { id: 'more', label: 'Another question', button: true },
      { id: 'done', label: 'No, all good', button: true },
      { id: 'anything', label: 'Anything else' },
      { id: 'timeout', label: 'No reply' },
    ])
    expect(sendMessage.facts(config)).toMatchObject({ waits: true, writes: ['reply'] })

    const tapped = runNode('send-message', { text: 'Anything else?', buttons })
    tapped.send({ type: 'message.received', text: 'No, all good', buttonId: 'done' })
    expect(tapped.outcome).toBe('done')

    const typedTitle = runNode('send-message', { text: 'Anything else?', buttons })
    typedTitle.send({ type: 'message.received', text: 'another question!' })
    expect(typedTitle.outcome).toBe('more')

    const typed = runNode('send-message', { text: 'Anything else?', buttons })
    typed.send({ type: 'message.received', text: 'where is my parcel' })
    expect(typed.outcome).toBe('anything')
    expect((typed.snapshot.context as { vars: Record<string, unknown> }).vars.reply).toBe(
      'where is my parcel',
    )

    const silent = runNode('send-message', { text: 'Anything else?', buttons })
    silent.advanceTo(T0 + 25 * HOUR)
    expect(silent.outcome).toBe('timeout')
  })

  it('refuses a button named like the other outputs and a reply wait of zero', () => {
    const codes = checkNode('send-message', {
      text: 'Pick',
      buttons: [{ id: 'anything', title: 'Whatever' }],
      replyTimeout: { amount: 0, unit: 'hours' },
    }).map((i) => i.code)
    expect(codes).toEqual(['duplicate_button', 'non_positive_delay'])
  })

  it('lists its template strings for the variable check', () => {
    const config = configOf('send-message', {
      text: 'Hi {{contact.name}}',
      imageUrl: '{{cart.image}}',
    }) as typeof sendMessageDefaults
    expect(sendMessage.templates(config)).toEqual(['Hi {{contact.name}}', '{{cart.image}}'])
  })
})

describe('send message buttons that also take a typed intent', () => {
  const buttons = [
    { id: 'done', title: 'No, all good', intent: 'not_interested' },
    { id: 'person', title: 'Talk to a person', intent: 'wants_person' },
  ]

  it('takes the button for a typed reply that wants it, after every tap and title, else "Anything else"', () => {
    const no = runNode('send-message', { text: 'Anything else?', buttons })
    no.send({ type: 'message.received', text: 'nah thanks' })
    expect(no.outcome).toBe('done')
    const person = runNode('send-message', { text: 'Anything else?', buttons })
    person.send({ type: 'message.received', text: 'Kann ich mit einem Mitarbeiter sprechen?' })
    expect(person.outcome).toBe('person')
    // The title typed out is the tap, whatever its intent would be.
    const title = runNode('send-message', { text: 'Anything else?', buttons })
    title.send({ type: 'message.received', text: 'talk to a person' })
    expect(title.outcome).toBe('person')
    const other = runNode('send-message', { text: 'Anything else?', buttons })
    other.send({ type: 'message.received', text: 'is the hoodie warm?' })
    expect(other.outcome).toBe('anything')
    expect(no.sends()[0]!.effect.message.buttons).toEqual([
      { id: 'done', title: 'No, all good' },
      { id: 'person', title: 'Talk to a person' },
    ])
  })

  it('refuses the same intent on two buttons', () => {
    const issues = checkNode('send-message', {
      text: 'Anything else?',
      buttons: [buttons[0], { id: 'b2', title: 'Nope', intent: 'not_interested' }],
    })
    expect(issues.map((i) => i.code)).toEqual(['duplicate_button_intent'])
  })
})
