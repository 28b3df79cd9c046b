import { describe, expect, it } from 'vitest'
import { parseTemplate, renderTemplate, templatePaths } from './template.ts'

const scope = {
  contact: { name: 'Ada Lovelace', first_name: 'Ada', tags: ['vip', 'repeat'] },
  cart: {
    url: 'https://shop.example/cart/abc',
    total: 49.9,
    currency: 'USD',
    items: [{ title: 'Blue mug', price: 12, currency: 'EUR', imageUrl: 'https://img/1.png' }],
  },
  store: { name: 'Mugs & Co', currency: 'GBP' },
  answer: { amount: '20' },
}

describe('renderTemplate', () => {
  it('substitutes paths', () => {
    expect(renderTemplate('Hi {{contact.name}}!', scope)).toBe('Hi Ada Lovelace!')
    expect(renderTemplate('{{ cart.items[0].title }} — {{cart.url}}', scope)).toBe(
      'Blue mug — https://shop.example/cart/abc',
    )
  })

  it('renders unknown paths and objects as empty strings', () => {
    expect(renderTemplate('[{{order.number}}]', scope)).toBe('[]')
    expect(renderTemplate('[{{cart}}]', scope)).toBe('[]')
    expect(renderTemplate('[{{cart.items}}]', scope)).toBe('[]')
    expect(renderTemplate('{{contact.tags}}', scope)).toBe('vip, repeat')
    expect(renderTemplate('{{contact.toString}}', scope)).toBe('')
  })

  it('formats money with the nearest currency', () => {
    expect(renderTemplate('{{cart.total | money}}', scope)).toBe('$49.90')
    expect(renderTemplate('{{cart.items[0].price | money}}', scope)).toBe('€12.00')
    expect(renderTemplate('{{answer.amount | money}}', scope)).toBe('£20.00')
    expect(renderTemplate('{{cart.total | money: "EUR"}}', scope)).toBe('€49.90')
    expect(renderTemplate('{{x | money}}', { x: 3 })).toBe('3.00')
    expect(renderTemplate('{{contact.name | money}}', scope)).toBe('Ada Lovelace')
  })

  it('applies default, upper and lower in order', () => {
    expect(renderTemplate('Hi {{contact.first_name | default: "there"}}', scope)).toBe('Hi Ada')
    expect(renderTemplate('Hi {{contact.nickname | default: "there"}}', scope)).toBe('Hi there')
    expect(renderTemplate("Hi {{contact.nickname | default: 'a|b' | upper}}", scope)).toBe('Hi A|B')
    expect(renderTemplate('{{contact.first_name | lower}}{{contact.first_name|upper}}', scope)).toBe('adaADA')
  })

  it('leaves malformed placeholders as written and never throws', () => {
    expect(renderTemplate('Hi {{contact.name', scope)).toBe('Hi {{contact.name')
    expect(renderTemplate('{{ }} {{contact.first_name}}', scope)).toBe('{{ }} Ada')
    expect(renderTemplate('{{a | shout}}', scope)).toBe('{{a | shout}}')
    expect(renderTemplate('{{ {{contact.first_name}}', scope)).toBe('{{ Ada')
    expect(renderTemplate('{{constructor.name}}', scope)).toBe('{{constructor.name}}')
  })

  it('does not evaluate anything', () => {
    expect(renderTemplate('{{process.exit(1)}}', scope)).toBe('{{process.exit(1)}}')
    expect(renderTemplate('{{1+1}}', scope)).toBe('{{1+1}}')
  })
})

describe('parseTemplate', () => {
  it('returns parts', () => {
    const parsed = parseTemplate('Hi {{contact.name | upper}}!')
    expect(parsed).toEqual({
      ok: true,
      parts: [
        { type: 'text', text: 'Hi ' },
        {
          type: 'variable',
          path: 'contact.name',
          segments: ['contact', 'name'],
          filters: [{ name: 'upper' }],
        },
        { type: 'text', text: '!' },
      ],
    })
  })

  it.each([
    ['Hi {{contact.name', /never closed/],
    ['{{ {{a}}', /never closed/],
    ['{{}}', /Empty placeholder/],
    ['{{a | shout}}', /Unknown filter "shout"/],
    ['{{a | default}}', /needs a value/],
    ['{{a | upper: "x"}}', /takes no value/],
    ['{{a | default: there}}', /in quotes/],
    ['{{a | default: "x}}', /Unclosed quote/],
    ['{{a..b}}', /position/],
  ])('reports %j', (template, message) => {
    const parsed = parseTemplate(template)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error.message).toMatch(message)
  })

  it('reports the position of the faulty placeholder', () => {
    const parsed = parseTemplate('Hello {{contact.name')
    expect(parsed.ok === false && parsed.error.index).toBe(6)
  })
})

describe('templatePaths', () => {
  it('lists each variable once, in order', () => {
    expect(templatePaths('{{cart.total | money}} {{contact.name}} {{cart.total}} {{bad..}}')).toEqual([
      'cart.total',
      'contact.name',
    ])
  })
})
