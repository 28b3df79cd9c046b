import { describe, expect, it } from 'vitest'
import { listSummary } from './item-list.ts'
import { renderTemplate } from './template.ts'

describe('listSummary', () => {
  it.each([
    [[], ''],
    [[{ title: 'Linen Shirt' }], 'Linen Shirt'],
    [[{ title: 'Linen Shirt' }, { title: 'Cap' }], 'Linen Shirt and Cap'],
    [[{ title: 'Linen Shirt' }, { title: 'Cap' }, { title: 'Belt' }], 'Linen Shirt and 2 more'],
    [['Jeans', 'Cap', 'Belt', 'Socks'], 'Jeans and 3 more'],
    // Entries without a name are not counted as "more".
    [[{ title: 'Jeans' }, { title: ' ' }, { price: 3 }], 'Jeans'],
  ])('%j → %j', (entries, expected) => {
    expect(listSummary(entries)).toBe(expected)
  })

  it('is the `list` template filter', () => {
    const cart = { items: [{ title: 'Jeans' }, { title: 'Cap' }, { title: 'Belt' }] }
    expect(renderTemplate('You left {{cart.items | list}} behind', { cart })).toBe(
      'You left Jeans and 2 more behind',
    )
    expect(renderTemplate('{{cart.items | list | default: "your picks"}}', { cart: { items: [] } })).toBe(
      'your picks',
    )
  })
})
