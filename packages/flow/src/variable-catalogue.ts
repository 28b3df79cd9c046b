// What the variables the host and the steps provide look like, with a merchant's name for each field:
// the validator checks deep paths against it ({{cart.nonexistent}}) and the editor's variable menu
// lists it ("Shopper's first name" rather than contact.first_name).
import type { PathSegment } from './path.ts'

/** A field: a leaf with its label, an object of fields, or a list of one shape. */
export type VariableShape =
  | { type: 'value'; label: string; menu?: boolean }
  | { type: 'object'; fields: Record<string, VariableShape>; open?: boolean }
  | { type: 'list'; item: VariableShape; label: string }

const value = (label: string, menu = true): VariableShape => ({ type: 'value', label, menu })

const cartItem: VariableShape = {
  type: 'object',
  fields: {
    title: value("item's name"),
    price: value("item's price"),
    quantity: value("item's quantity"),
    imageUrl: value("item's picture"),
    image: value("item's picture", false),
    url: value("item's link"),
    productId: value("item's product code", false),
  },
}

/** The shape of each variable the host seeds or a step writes under a fixed name. */
export const VARIABLE_SHAPES: Record<string, VariableShape> = {
  contact: {
    type: 'object',
    // Stores add their own contact attributes (loyalty tier, size...), so unknown fields are allowed.
    open: true,
    fields: {
      first_name: value("Shopper's first name"),
      name: value("Shopper's full name"),
      email: value("Shopper's email"),
      phone: value("Shopper's phone number"),
      id: value("Shopper's id", false),
      timezone: value("Shopper's time zone", false),
      locale: value("Shopper's language", false),
    },
  },
  cart: {
    type: 'object',
    fields: {
      url: value('Link back to the cart'),
      summary: value('Cart items in words'),
      proof: value('Sales or stock facts, if any'),
      checkoutUrl: value('Link back to the cart', false),
      total: value('Cart total'),
      value: value('Cart total', false),
      currency: value('Cart currency'),
      token: value('Cart reference', false),
      item_count: value('Number of items in the cart', false),
      items: { type: 'list', label: 'item', item: cartItem },
    },
  },
  order: {
    type: 'object',
    fields: {
      // `name` is how the shopper knows it (#1004); `number` the store's key, with or without '#'.
      name: value('Order number'),
      number: value('Order number as the store keeps it', false),
      status: value('Order status'),
      total: value('Order total'),
      currency: value('Order currency'),
      carrier: value('Carrier'),
      trackingNumber: value('Tracking number'),
      trackingUrl: value('Tracking link'),
      shippedAt: value('Shipping date', false),
      returnable: value('Can still be returned'),
      returnBy: value('Last day to return it', false),
      daysSinceDelivery: value('Days since it was delivered', false),
      createdAt: value('Order date', false),
      id: value('Order reference', false),
      cartToken: value('Cart reference', false),
      items: { type: 'list', label: 'item', item: { type: 'object', fields: {}, open: true } },
      // Products to suggest after a purchase (the post-purchase starter flow reads them).
      recommendations: { type: 'list', label: 'suggested product', item: cartItem },
    },
  },
  store: {
    type: 'object',
    fields: { name: value('Store name'), returnWindowDays: value('Days to return an order') },
  },
  trigger: {
    type: 'object',
    open: true,
    fields: {
      text: value('What the shopper wrote first'),
      orderNumber: value('Order number in their first message'),
      buttonId: value('Button tapped', false),
    },
  },
  reply: value("The shopper's last answer"),
  answer: value('Answer from the catalogue'),
  incentive: {
    type: 'object',
    fields: {
      code: value('Discount code'),
      percentOff: value('Discount in percent'),
      amountOff: value('Discount amount'),
    },
  },
}

const ORDINALS = ['First', 'Second', 'Third']

/** Why a path does not exist in a shape, in a merchant's words; undefined when it may exist. */
export function unknownPathReason(segments: readonly PathSegment[]): string | undefined {
  let shape: VariableShape | undefined = VARIABLE_SHAPES[String(segments[0])]
  if (!shape) return undefined
  let where = String(segments[0])
  for (const segment of segments.slice(1)) {
    if (shape.type === 'value') return `"${where}" has no parts`
    if (shape.type === 'list') {
      if (typeof segment !== 'number') return `"${where}" is a list: pick an item first`
      shape = shape.item
    } else {
      if (typeof segment === 'number') return `"${where}" is not a list`
      const field: VariableShape | undefined = Object.hasOwn(shape.fields, segment)
        ? shape.fields[segment]
        : undefined
      if (!field) return shape.open ? undefined : `there is no "${segment}" in ${where}`
      shape = field
    }
    where = `${where}${typeof segment === 'number' ? `[${segment}]` : `.${segment}`}`
  }
  return undefined
}

export interface MenuVariable {
  /** The path stored in the template, e.g. `cart.items[0].title`. */
  path: string
  /** What the merchant reads, e.g. "First item's name". */
  label: string
}

/** The fields of a variable worth offering in a menu, with readable names (lists offer their first items). */
export function menuVariables(root: string): MenuVariable[] {
  const shape = VARIABLE_SHAPES[root]
  if (!shape) return []
  const out: MenuVariable[] = []
  const walk = (s: VariableShape, path: string, prefix: string) => {
    if (s.type === 'value') {
      if (s.menu !== false) out.push({ path, label: prefix ? `${prefix} ${s.label}` : s.label })
    } else if (s.type === 'list') {
      // The first item is what a reminder talks about; a second one for carts of two.
      ORDINALS.slice(0, 2).forEach((ordinal, i) => {
        walk(s.item, `${path}[${i}]`, `${ordinal}`)
      })
    } else {
      for (const [key, field] of Object.entries(s.fields)) walk(field, `${path}.${key}`, prefix)
    }
  }
  walk(shape, root, '')
  return out
}

/** A readable name for any path: a known field's label, else the path's last words ("order_number" → "Order number"). */
export function variableLabel(path: string): string {
  for (const root of Object.keys(VARIABLE_SHAPES)) {
    if (path !== root && !path.startsWith(`${root}.`) && !path.startsWith(`${root}[`)) continue
    const hit = menuVariables(root).find((v) => v.path === path)
    if (hit) return hit.label
    const shape = VARIABLE_SHAPES[root]!
    if (path === root && shape.type === 'value') return shape.label
  }
  const last =
    path
      .split(/[.[\]]+/)
      .filter(Boolean)
      .at(-1) ?? path
  const words = last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * A message template as a person reads it, each variable by its name: what a step's card and the inbox's
 * "What the assistant did" show instead of the template's syntax.
 *
 * @example compactTemplate('Hi {{contact.first_name | default: "there"}}') // "Hi ‹Shopper's first name›"
 */
export function compactTemplate(text: string): string {
  return text.replace(/\{\{\s*([^}|]+?)\s*(\|[^}]*)?\}\}/g, (_m, path: string) => `‹${variableLabel(path)}›`)
}
