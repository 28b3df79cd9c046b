// A Shopify product export of N products × 5 variants (sizes) with realistic text: titles, HTML bodies with
// commas and CRLF newlines inside quoted fields, vendors, types, tags, compare-at prices, images; a BOM, CRLF rows.
import { writeFileSync } from 'node:fs'

const HEADER =
  'Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,Variant Image,Status'
export const ADJECTIVES = [
  'Classic',
  'Organic',
  'Relaxed',
  'Slim',
  'Merino',
  'Linen',
  'Waxed',
  'Recycled',
  'Heavyweight',
  'Packable',
  'Everyday',
  'Vintage',
]
export const NOUNS = [
  'Tee',
  'Hoodie',
  'Jeans',
  'Chinos',
  'Sneakers',
  'Boots',
  'Rain Jacket',
  'Sweater',
  'Cap',
  'Tote',
  'Overshirt',
  'Parka',
  'Shorts',
  'Scarf',
]
export const TYPES = ['Shirts', 'Sweaters', 'Pants', 'Shoes', 'Outerwear', 'Accessories', 'Bags']
export const VENDORS = ['Parley Threads', 'Northfield', 'Coastline Supply', 'Atelier Nord', 'Hale & Co']
export const COLOURS = ['Black', 'Navy', 'Olive', 'Sand', 'Grey', 'White', 'Burgundy']
const SIZES = ['XS', 'S', 'M', 'L', 'XL']

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** Writes N products × 5 variants (5N rows) to a file, in pieces. */
export function generateExport(path: string, products: number): void {
  let out = `\ufeff${HEADER}\r\n`
  const pieces: string[] = []
  for (let i = 0; i < products; i++) {
    const title = `${ADJECTIVES[i % ADJECTIVES.length]} ${NOUNS[(i * 7) % NOUNS.length]} ${i}`
    const handle = title.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    const colour = COLOURS[i % COLOURS.length] as string
    const body = `<p>Our ${title.toLowerCase()}, cut from ${i % 2 ? 'organic cotton' : 'recycled wool'}, finished by hand.</p>\r\n<ul>\r\n<li>Fits true to size; size down for a closer fit</li>\r\n<li>Machine wash cold, dry flat</li>\r\n</ul>`
    for (let v = 0; v < 5; v++) {
      const first = v === 0
      const price = (19 + (i % 80) + v * 2).toFixed(2)
      const row = [
        handle,
        first ? title : '',
        first ? body : '',
        first ? (VENDORS[i % VENDORS.length] as string) : '',
        first ? 'Apparel & Accessories > Clothing' : '',
        first ? (TYPES[i % TYPES.length] as string) : '',
        first ? `${colour.toLowerCase()}, ${TYPES[i % TYPES.length]?.toLowerCase()}, autumn` : '',
        first ? 'true' : '',
        first ? 'Size' : '',
        SIZES[v] as string,
        first ? 'Color' : '',
        colour,
        '',
        '',
        `SKU-${i}-${SIZES[v]}`,
        '300',
        'shopify',
        String((i + v) % 9),
        'deny',
        'manual',
        price,
        v % 2 ? (Number(price) + 10).toFixed(2) : '',
        'true',
        'true',
        '',
        first ? `https://cdn.shopify.com/s/files/1/0001/products/${handle}.jpg` : '',
        first ? '1' : '',
        first ? title : '',
        first ? 'false' : '',
        '',
        first ? 'active' : '',
      ]
      pieces.push(row.map(csvField).join(','))
    }
    if (pieces.length >= 5000) {
      out += `${pieces.join('\r\n')}\r\n`
      pieces.length = 0
    }
  }
  out += pieces.length ? `${pieces.join('\r\n')}\r\n` : ''
  writeFileSync(path, out)
}
