import { describe, expect, it } from 'vitest'
import { parsePath } from './path.ts'
import { compactTemplate, menuVariables, unknownPathReason, variableLabel } from './variable-catalogue.ts'

describe('variable catalogue', () => {
  it('names the fields a merchant picks from, without list positions in the names', () => {
    const cart = menuVariables('cart')
    expect(cart).toContainEqual({ path: 'cart.items[0].title', label: "First item's name" })
    expect(cart).toContainEqual({ path: 'cart.url', label: 'Link back to the cart' })
    expect(cart.some((v) => v.path.includes('productId'))).toBe(false)
    expect(cart.every((v) => !/[[\].]/.test(v.label))).toBe(true)
    expect(menuVariables('contact')[0]).toEqual({ path: 'contact.first_name', label: "Shopper's first name" })
    expect(menuVariables('nothing')).toEqual([])
  })

  it('reads any path as words', () => {
    expect(variableLabel('contact.first_name')).toBe("Shopper's first name")
    expect(variableLabel('order.trackingUrl')).toBe('Tracking link')
    expect(variableLabel('reply')).toBe("The shopper's last answer")
    expect(variableLabel('order_number')).toBe('Order number')
    expect(variableLabel('loyalty.pointsBalance')).toBe('Points balance')
  })

  it('explains why a deep path does not exist, and allows open shapes and unknown roots', () => {
    const reason = (path: string) => unknownPathReason(parsePath(path))
    expect(reason('cart.nonexistent')).toBe('there is no "nonexistent" in cart')
    expect(reason('cart.items[1].nope')).toBe('there is no "nope" in cart.items[1]')
    expect(reason('cart.total.cents')).toBe('"cart.total" has no parts')
    expect(reason('order[0]')).toBe('"order" is not a list')
    expect(reason('cart.items[0].title')).toBeUndefined()
    expect(reason('contact.loyalty_tier')).toBeUndefined()
    expect(reason('shoe_size.left')).toBeUndefined()
  })
})

describe('a template as a person reads it', () => {
  it('names each variable and drops the fallback syntax', () => {
    expect(
      compactTemplate('You can return items within {{store.returnWindowDays | default: "30"}} days.'),
    ).toBe('You can return items within ‹Days to return an order› days.')
    expect(compactTemplate('Hi {{ contact.first_name }}, order {{order.name}}')).toBe(
      "Hi ‹Shopper's first name›, order ‹Order number›",
    )
  })
})
