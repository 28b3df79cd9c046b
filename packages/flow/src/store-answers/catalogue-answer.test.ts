// Product answers from the catalogue's variants: the case ("Is the Classic Hoodie available in M?" with M
// sold out in Sand), typos, prices per variant, values the product lacks, stock, colours, compare, and no
// answer when unsure (nothing named, two products named alike).
import { describe, expect, it } from 'vitest'
import { answerFromCatalogue } from './catalogue-answer.ts'
import type { CatalogueProduct, CatalogueVariant } from './catalogue-product.ts'

function product(
  id: string,
  title: string,
  options: Record<string, string[]>,
  variant: (values: string[]) => Partial<CatalogueVariant> = () => ({}),
  more: Partial<CatalogueProduct> = {},
): CatalogueProduct {
  const names = Object.keys(options)
  const combos = names.reduce<string[][]>(
    (acc, name) => acc.flatMap((c) => (options[name] ?? []).map((v) => [...c, v])),
    [[]],
  )
  const variants = combos.map((values, i) => ({
    id: `${id}-v${i}`,
    title: values.join(' / '),
    options: values,
    price: '59.00',
    inventory: 5,
    ...variant(values),
  }))
  return {
    id,
    externalId: `ext-${id}`,
    title,
    description: `${title} in heavyweight cotton. Brushed inside.`,
    price: variants.reduce(
      (min, v) => (Number(v.price) < Number(min) ? v.price : min),
      variants[0]?.price ?? '0',
    ),
    currency: 'USD',
    inStock: variants.some((v) => v.inventory === null || v.inventory > 0),
    attributes: {},
    imageUrl: `https://cdn.example/${id}.jpg`,
    url: `https://shop.example/products/${id}`,
    optionNames: names,
    variants,
    ...more,
  }
}

const hoodie = product(
  'hoodie',
  'Classic Hoodie',
  { Colour: ['Navy', 'Sand'], Size: ['S', 'M', 'L'] },
  ([colour, size]) => ({
    inventory: colour === 'Sand' && size === 'M' ? 0 : 4,
    price: size === 'L' ? '64.00' : '59.00',
  }),
)
const tee = product('tee', 'Everyday Tee', { Colour: ['Black', 'White'], Size: ['M'] }, ([colour]) => ({
  price: colour === 'White' ? '25.00' : '20.00',
}))
const zip = product('zip', 'Zip Hoodie', { Size: ['M', 'L'] }, () => ({ inventory: null }))
const tote = product('tote', 'Canvas Tote', {}, () => ({ inventory: 0 }))
const catalogue = [hoodie, tee, tote]

describe('answerFromCatalogue', () => {
  it('answers per variant: M in stock in Navy, sold out in Sand, with the product card', () => {
    const answer = answerFromCatalogue('Is the Classic Hoodie available in M?', catalogue, [])
    expect(answer?.text).toBe('Classic Hoodie: M is in stock in Navy, sold out in Sand (59.00 USD).')
    expect(answer?.productIds).toEqual(['hoodie'])
    expect(answer?.cards).toEqual([
      {
        title: 'Classic Hoodie',
        productId: 'hoodie',
        imageUrl: 'https://cdn.example/hoodie.jpg',
        price: 59,
        currency: 'USD',
        url: 'https://shop.example/products/hoodie',
      },
    ])
  })

  it('understands typos in the product and the option value', () => {
    expect(answerFromCatalogue('do you have the clasic hodie in navvy?', catalogue, [])?.text).toBe(
      'Classic Hoodie: Navy is in stock in S (59.00 USD), M (59.00 USD) and L (64.00 USD).',
    )
  })

  it('answers one variant: in stock with its price, or sold out', () => {
    expect(answerFromCatalogue('Classic Hoodie in navy, size L?', catalogue, [])?.text).toBe(
      'Yes, the Classic Hoodie in Navy / L is in stock (64.00 USD).',
    )
    expect(answerFromCatalogue('Is the Classic Hoodie in Sand M available?', catalogue, [])?.text).toBe(
      'Sorry, the Classic Hoodie in Sand / M is sold out right now.',
    )
  })

  it('shows prices per variant when they differ', () => {
    expect(answerFromCatalogue('Everyday Tee in M?', catalogue, [])?.text).toBe(
      'Everyday Tee: M is in stock in Black (20.00 USD) and White (25.00 USD).',
    )
  })

  it('says which values a product does not come in, and which it does', () => {
    expect(answerFromCatalogue('Is the Classic Hoodie available in red?', catalogue, [])?.text).toBe(
      "Sorry, the Classic Hoodie doesn't come in red. It comes in Navy and Sand.",
    )
    expect(answerFromCatalogue('Classic Hoodie in XL?', catalogue, [])?.text).toBe(
      "Sorry, the Classic Hoodie doesn't come in XL. It comes in S, M and L.",
    )
  })

  it('does not read "it\'s" as size S, nor a lower-case letter on its own as a size', () => {
    const text = answerFromCatalogue("What's the Classic Hoodie like, is it soft?", catalogue, [])?.text
    expect(text).toBe('Classic Hoodie: 59.00–64.00 USD. Classic Hoodie in heavyweight cotton.')
  })

  it('lists colours and stock from the variants', () => {
    expect(answerFromCatalogue('What colours does the Classic Hoodie come in?', catalogue, [])?.text).toBe(
      'The Classic Hoodie comes in Navy and Sand.',
    )
    expect(answerFromCatalogue('Is the Classic Hoodie in stock?', catalogue, [])?.text).toBe(
      'Yes, the Classic Hoodie is in stock (59.00–64.00 USD). Sold out: Sand / M.',
    )
    expect(answerFromCatalogue('is the canvas tote in stock?', catalogue, [])?.text).toBe(
      'Sorry, the Canvas Tote is sold out right now.',
    )
  })

  it('answers about the cart when the question names no product', () => {
    const answer = answerFromCatalogue('does it come in navy?', catalogue, ['ext-hoodie'])
    expect(answer?.text).toBe(
      'Classic Hoodie: Navy is in stock in S (59.00 USD), M (59.00 USD) and L (64.00 USD).',
    )
  })

  it('compares two products with a card each', () => {
    const answer = answerFromCatalogue('Classic Hoodie vs Zip Hoodie?', [hoodie, zip], [])
    expect(answer?.text.split('\n')).toEqual([
      'Classic Hoodie vs Zip Hoodie:',
      'Price: 59.00–64.00 USD vs 59.00 USD.',
      'Colour: Navy and Sand vs —.',
      'Size: S, M and L vs M and L.',
      'Stock: in stock vs in stock.',
    ])
    expect(answer?.cards.map((c) => c.title)).toEqual(['Classic Hoodie', 'Zip Hoodie'])
  })

  it('has no answer when unsure: nothing named, or two products named alike', () => {
    expect(answerFromCatalogue('hi', catalogue, [])).toBeNull()
    expect(answerFromCatalogue('Do you ship to Iceland?', catalogue, [])).toBeNull()
    expect(answerFromCatalogue('is the hoodie in M?', [hoodie, zip], [])).toBeNull()
    expect(answerFromCatalogue('is it in M?', catalogue, ['ext-hoodie', 'ext-tee'])).toBeNull()
  })

  it('answers option values kept only in attributes (older catalogues), one-letter sizes included', () => {
    const shirt: CatalogueProduct = {
      id: 'shirt',
      externalId: null,
      title: 'Linen Shirt',
      description: '',
      price: '45.00',
      currency: 'EUR',
      inStock: true,
      attributes: { sizes: ['S', 'M'], colors: ['white'], fit: 'runs small' },
    }
    expect(answerFromCatalogue('Is the Linen Shirt available in M?', [shirt], [])?.text).toBe(
      'Yes, the Linen Shirt comes in M (45.00 EUR).',
    )
    expect(answerFromCatalogue('Is the Linen Shirt available in L?', [shirt], [])?.text).toBe(
      "Sorry, the Linen Shirt doesn't come in L. It comes in S and M.",
    )
    expect(answerFromCatalogue('does the linen shirt run true to size?', [shirt], [])?.text).toBe(
      'The Linen Shirt runs small. Sizes: S and M.',
    )
  })
})
