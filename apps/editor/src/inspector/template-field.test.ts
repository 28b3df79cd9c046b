import { describe, expect, it } from 'vitest'
import { chipText, serialise, templatePieces, variableToken } from './template-field.tsx'

describe('template field', () => {
  it('splits a template into text and variables, keeping broken placeholders as text', () => {
    expect(templatePieces('Hi {{contact.first_name | default: "there"}}, {{ oops')).toEqual([
      { type: 'text', text: 'Hi ' },
      {
        type: 'variable',
        token: '{{contact.first_name | default: "there"}}',
        path: 'contact.first_name',
        filters: [{ name: 'default', arg: 'there' }],
      },
      { type: 'text', text: ', {{ oops' },
    ])
  })

  it('writes a variable back as template text and names it in words', () => {
    expect(variableToken('cart.total', [{ name: 'money' }, { name: 'default', arg: '0' }])).toBe(
      '{{cart.total | money | default: "0"}}',
    )
    expect(chipText('contact.first_name', [{ name: 'default', arg: 'there' }])).toBe(
      "Shopper's first name · if unknown: there",
    )
    expect(chipText('cart.items[0].title', [])).toBe("First item's name")
  })

  it('serialises chips, line breaks and the divs browsers insert on Enter', () => {
    const el = document.createElement('div')
    el.innerHTML =
      'Hi <span data-token="{{contact.first_name}}">Shopper</span>\u200b&nbsp;!<br>Bye<div>again</div>'
    expect(serialise(el)).toBe('Hi {{contact.first_name}} !\nBye\nagain')
  })
})
