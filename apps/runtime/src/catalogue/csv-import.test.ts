import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { type CsvBatch, CsvImportFailure, readProductCsv } from './csv-import.ts'

const fixture = readFileSync(new URL('./fixtures/shopify-products.csv', import.meta.url))

async function read(input: string | Buffer, productsPerBatch = 250) {
  const batches: CsvBatch[] = []
  await readProductCsv(
    Readable.from([typeof input === 'string' ? Buffer.from(input) : input]),
    { currency: 'EUR', storeUrl: 'https://shop.example/' },
    async (b) => {
      batches.push(b)
    },
    productsPerBatch,
  )
  return {
    batches,
    products: batches.flatMap((b) => b.products),
    errors: batches.flatMap((b) => b.errors),
  }
}

describe('reading a product CSV', () => {
  it('reads a Shopify export: BOM, CRLF, multi-line HTML, continuation and image rows, one bad price', async () => {
    const { products, errors, batches } = await read(fixture)
    expect(products.map((p) => [p.handle, p.variants.length])).toEqual([
      ['linen-shirt', 4],
      ['canvas-tote', 1],
      ['trail-runner', 3],
      ['wool-beanie', 2],
    ])
    expect(errors).toEqual([
      {
        line: 15,
        handle: 'trail-runner',
        message: 'Variant Price "12,9O" is not a price (write it like 19.90)',
      },
    ])
    const shirt = products[0]
    expect(shirt?.description).toBe(
      '<p>Breathable linen, cut for summer.</p>\r\n<ul>\r\n<li>100% European flax, stone-washed</li>\r\n<li>Relaxed fit; runs large, so size down</li>\r\n</ul>',
    )
    expect(shirt?.optionNames).toEqual(['Size', 'Color'])
    expect(shirt?.images.map((i) => i.position)).toEqual([1, 2, 3])
    expect(shirt?.variants[3]).toMatchObject({
      key: 'sku:LS-S-WHT',
      title: 'S / White',
      options: ['S', 'White', null],
      price: '55.00',
      inventory: 5,
    })
    expect(shirt).toMatchObject({
      vendor: 'Parley Threads',
      productType: 'Shirts',
      tags: ['linen', 'summer', 'shirts'],
      currency: 'EUR',
      url: 'https://shop.example/products/linen-shirt',
      partial: false,
    })
    expect(products[1]?.variants).toEqual([
      expect.objectContaining({
        key: 'sku:TOTE-NAT',
        title: 'Default',
        options: [null, null, null],
        price: '24.50',
      }),
    ])
    expect(products[1]?.description).toContain('a "just in case" jumper')
    expect(products[2]?.partial).toBe(true)
    expect(products[3]).toMatchObject({ status: 'draft' })
    expect(products[3]?.variants.map((v) => v.key)).toEqual(['options:Grey', 'options:Navy'])
    expect(batches.at(-1)?.rows).toBe(12)
    expect(batches.at(-1)?.bytes).toBe(fixture.byteLength)
  })

  it('hands products on in batches while it reads', async () => {
    const { batches, products } = await read(fixture, 2)
    expect(batches.map((b) => b.products.length)).toEqual([2, 2])
    expect(products).toHaveLength(4)
  })

  it('reads the older export (Type, no Status) and a generic file; Published false makes a draft', async () => {
    const older = await read(
      'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src\n' +
        'mug,Mug,<p>Stoneware</p>,Kiln,Kitchen,"home, gifts",FALSE,Title,Default Title,MUG-1,4,12.00,15.00,https://cdn.example/mug.jpg\n',
    )
    expect(older.errors).toEqual([])
    expect(older.products[0]).toMatchObject({
      productType: 'Kitchen',
      status: 'draft',
      tags: ['home', 'gifts'],
    })
    expect(older.products[0]?.variants[0]).toMatchObject({ compareAtPrice: '15.00', inventory: 4 })

    const generic = await read(
      'handle,title,price,currency,image,url,stock\n' +
        'socks,Wool Socks,9.5,usd,https://cdn.example/socks.jpg,https://shop.example/socks,yes\n' +
        'scarf,Scarf,abc,USD,,,3\n' +
        'hat,Hat,20,,,,0\n' +
        ',No handle,1,,,,\n',
    )
    expect(
      generic.products.map((p) => [
        p.handle,
        p.currency,
        p.url,
        p.variants[0]?.price,
        p.variants[0]?.inventory,
      ]),
    ).toEqual([
      ['socks', 'USD', 'https://shop.example/socks', '9.50', null],
      ['hat', 'EUR', 'https://shop.example/products/hat', '20.00', 0],
    ])
    expect(generic.errors).toEqual([
      { line: 3, handle: 'scarf', message: 'Price "abc" is not a price (write it like 19.90)' },
      { line: 5, handle: null, message: 'Handle is empty' },
    ])
  })

  it('names the row of a continuation without its product, and a repeated variant', async () => {
    const { errors, products } = await read(
      'Handle,Title,Option1 Name,Option1 Value,Variant Price\n' +
        'orphan,,,S,10\n' +
        'tee,Tee,Size,S,10\n' +
        'tee,,,S,11\n' +
        'tee,,,M,12\n',
    )
    expect(errors.map((e) => [e.line, e.message.split(' (')[0]])).toEqual([
      [2, 'Title is empty, and the row above is not the product "orphan"'],
      [4, 'Repeats the variant on line 3'],
    ])
    expect(products[0]?.variants.map((v) => v.title)).toEqual(['S', 'M'])
  })

  it('refuses a file that is not a product CSV, or cannot be parsed, with the reason', async () => {
    await expect(read('name,colour\nx,y\n')).rejects.toThrow(/no handle, title, price/)
    await expect(read('')).rejects.toThrow(CsvImportFailure)
    await expect(read('handle,title,price\na,"unclosed,1\n')).rejects.toThrow(/could not be read/)
  })
})
