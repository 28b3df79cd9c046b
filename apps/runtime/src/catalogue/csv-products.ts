// Turns the rows of a product CSV into product drafts, one row at a time, so memory holds one product, never the
// file. Two layouts: Shopify's product export (the current header set and the older one with `Type`), where rows
// after a product's first one (same handle, empty title) add variants and images; and a plain generic layout
// (handle, title, price, currency, image, url, stock), a product per row. A rejected row is reported with its
// line and reason and skipped; the rest of its product still imports.

import { parseCurrency, parsePrice, parseStock, parseUrl, parseYesNo } from './csv-values.ts'
import { type ImageDraft, type ProductDraft, type VariantDraft, variantKey } from './product-draft.ts'

export type RowError = {
  line: number
  handle: string | null
  message: string
}

export type CsvLayout = 'shopify' | 'generic'

export interface AssemblerOptions {
  /** Shopify exports carry no currency: the store's. */
  currency: string
  /** e.g. https://shop.example: products get `${storeUrl}/products/${handle}` when the file has no URL. */
  storeUrl: string | null
}

type Column =
  | 'handle'
  | 'title'
  | 'body'
  | 'vendor'
  | 'category'
  | 'type'
  | 'tags'
  | 'published'
  | 'option1Name'
  | 'option1Value'
  | 'option2Name'
  | 'option2Value'
  | 'option3Name'
  | 'option3Value'
  | 'sku'
  | 'price'
  | 'compareAtPrice'
  | 'inventory'
  | 'imageSrc'
  | 'imagePosition'
  | 'imageAlt'
  | 'variantImage'
  | 'status'
  | 'currency'
  | 'url'
  | 'description'

/** Header names (lower-case, spaces squeezed) → column, for both layouts. Unknown headers are ignored. */
const HEADERS: Record<string, Column> = {
  handle: 'handle',
  title: 'title',
  'body (html)': 'body',
  body: 'body',
  description: 'description',
  vendor: 'vendor',
  'product category': 'category',
  type: 'type',
  'product type': 'type',
  tags: 'tags',
  published: 'published',
  'option1 name': 'option1Name',
  'option1 value': 'option1Value',
  'option2 name': 'option2Name',
  'option2 value': 'option2Value',
  'option3 name': 'option3Name',
  'option3 value': 'option3Value',
  'variant sku': 'sku',
  sku: 'sku',
  'variant price': 'price',
  price: 'price',
  'variant compare at price': 'compareAtPrice',
  'compare at price': 'compareAtPrice',
  compare_at_price: 'compareAtPrice',
  'variant inventory qty': 'inventory',
  'variant inventory quantity': 'inventory',
  stock: 'inventory',
  inventory: 'inventory',
  'image src': 'imageSrc',
  image: 'imageSrc',
  image_url: 'imageSrc',
  'image position': 'imagePosition',
  'image alt text': 'imageAlt',
  'variant image': 'variantImage',
  status: 'status',
  currency: 'currency',
  url: 'url',
  'product url': 'url',
}

export class CsvFormatError extends Error {}

export class CsvProductAssembler {
  readonly layout: CsvLayout
  private readonly index: Partial<Record<Column, number>> = {}
  private current: ProductDraft | null = null
  private currentLine = 0
  private readonly variantLines = new Map<string, number>()
  private readonly imageSources = new Set<string>()

  /** Throws CsvFormatError when the header is neither layout. */
  constructor(
    header: readonly string[],
    private readonly options: AssemblerOptions,
    private readonly onProduct: (product: ProductDraft) => void,
    private readonly onError: (error: RowError) => void,
  ) {
    header.forEach((name, i) => {
      const column = HEADERS[name.trim().toLowerCase().replace(/\s+/g, ' ')]
      if (column && this.index[column] === undefined) this.index[column] = i
    })
    const shopify = this.index.option1Name !== undefined || /variant price/i.test(header.join(','))
    this.layout = shopify ? 'shopify' : 'generic'
    const missing = (['handle', 'title', 'price'] as const).filter((c) => this.index[c] === undefined)
    if (missing.length > 0) {
      throw new CsvFormatError(
        `This file is not a product CSV: it has no ${missing.map((c) => (c === 'price' ? 'price (or Variant Price)' : c)).join(', ')} column. Export products from Shopify, or use the columns handle, title, price, currency, image, url, stock.`,
      )
    }
  }

  private cell(row: readonly string[], column: Column): string {
    const i = this.index[column]
    return i === undefined ? '' : (row[i] ?? '').trim()
  }

  /** Feeds one data row; `line` is where it starts in the file (the header is line 1). */
  push(row: readonly string[], line: number): void {
    if (row.every((v) => v.trim() === '')) return
    const handle = this.cell(row, 'handle')
    if (handle === '') {
      this.onError({ line, handle: null, message: 'Handle is empty' })
      return
    }
    const title = this.cell(row, 'title')
    if (title !== '') {
      this.flush()
      this.startProduct(row, handle, title, line)
      return
    }
    if (this.current?.handle !== handle) {
      this.onError({
        line,
        handle,
        message: `Title is empty, and the row above is not the product "${handle}" (a row that adds a variant or image follows its product's first row)`,
      })
      return
    }
    this.addVariantOrImage(row, line)
  }

  /** Emits the last product. */
  finish(): void {
    this.flush()
  }

  private flush(): void {
    const product = this.current
    this.current = null
    this.variantLines.clear()
    this.imageSources.clear()
    if (!product) return
    if (product.variants.length === 0) {
      // Every variant row was rejected (each reported): a product without a price cannot be offered.
      if (!product.partial)
        this.onError({
          line: this.currentLine,
          handle: product.handle,
          message: 'The product has no variant with a price',
        })
      return
    }
    this.onProduct(product)
  }

  private startProduct(row: readonly string[], handle: string, title: string, line: number): void {
    const currency = parseCurrency(this.cell(row, 'currency'), this.options.currency)
    const url = parseUrl(this.cell(row, 'url'), 'URL')
    if (!currency.ok || !url.ok) {
      this.onError({ line, handle, message: !currency.ok ? currency.reason : !url.ok ? url.reason : '' })
      return
    }
    const category = this.cell(row, 'category')
    const status = this.cell(row, 'status').toLowerCase()
    const published = parseYesNo(this.cell(row, 'published'))
    this.currentLine = line
    this.current = {
      handle,
      externalId: null,
      title,
      description: this.cell(row, 'body') || this.cell(row, 'description'),
      vendor: this.cell(row, 'vendor'),
      // The older export's free-text Type, else the last step of the current export's category path.
      productType: this.cell(row, 'type') || (category.split('>').pop()?.trim() ?? ''),
      tags: this.cell(row, 'tags')
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
      status:
        status === 'active' || status === 'draft' || status === 'archived'
          ? status
          : published === false
            ? 'draft'
            : 'active',
      url:
        url.value ??
        (this.options.storeUrl
          ? `${this.options.storeUrl.replace(/\/+$/, '')}/products/${encodeURIComponent(handle)}`
          : null),
      currency: currency.value,
      optionNames: (['option1Name', 'option2Name', 'option3Name'] as const)
        .map((c) => this.cell(row, c))
        .filter((n) => n !== '' && !(n === 'Title' && this.cell(row, 'option1Value') === 'Default Title')),
      images: [],
      variants: [],
      partial: false,
    }
    this.addVariantOrImage(row, line)
  }

  private addVariantOrImage(row: readonly string[], line: number): void {
    const product = this.current
    if (!product) return
    const imageSrc = this.cell(row, 'imageSrc')
    if (imageSrc !== '') {
      const image = parseUrl(imageSrc, 'Image Src')
      const position = Number.parseInt(this.cell(row, 'imagePosition'), 10)
      if (!image.ok) this.onError({ line, handle: product.handle, message: image.reason })
      else if (image.value && !this.imageSources.has(image.value)) {
        this.imageSources.add(image.value)
        product.images.push(
          imageDraft(image.value, position, this.cell(row, 'imageAlt'), product.images.length),
        )
      }
    }
    const options = (['option1Value', 'option2Value', 'option3Value'] as const).map((c) => this.cell(row, c))
    const sku = this.cell(row, 'sku')
    const priceText = this.cell(row, 'price')
    // Shopify's image-only rows carry no variant fields at all.
    if (options.every((o) => o === '') && sku === '' && priceText === '') return
    this.addVariant(row, line, product, options, sku, priceText)
  }

  private addVariant(
    row: readonly string[],
    line: number,
    product: ProductDraft,
    rawOptions: string[],
    sku: string,
    priceText: string,
  ): void {
    const reject = (message: string) => {
      product.partial = true
      this.onError({ line, handle: product.handle, message })
    }
    const price = parsePrice(priceText, this.layout === 'shopify' ? 'Variant Price' : 'Price', true)
    if (!price.ok) {
      reject(price.reason)
      return
    }
    const compareAt = parsePrice(this.cell(row, 'compareAtPrice'), 'Variant Compare At Price', false)
    if (!compareAt.ok) {
      reject(compareAt.reason)
      return
    }
    const stock = parseStock(
      this.cell(row, 'inventory'),
      this.layout === 'shopify' ? 'Variant Inventory Qty' : 'Stock',
    )
    if (!stock.ok) {
      reject(stock.reason)
      return
    }
    const variantImage = parseUrl(this.cell(row, 'variantImage'), 'Variant Image')
    if (!variantImage.ok) {
      reject(variantImage.reason)
      return
    }
    const isDefault = product.optionNames.length === 0
    const options: VariantDraft['options'] = isDefault
      ? [null, null, null]
      : [rawOptions[0] || null, rawOptions[1] || null, rawOptions[2] || null]
    if (!isDefault && options.slice(0, product.optionNames.length).some((o) => o === null)) {
      reject(`Option values are missing (the product has options ${product.optionNames.join(', ')})`)
      return
    }
    const key = variantKey(sku || null, options)
    const earlier = this.variantLines.get(key)
    if (earlier !== undefined) {
      reject(`Repeats the variant on line ${earlier}`)
      return
    }
    this.variantLines.set(key, line)
    product.variants.push({
      key,
      externalId: null,
      sku: sku || null,
      title: isDefault ? 'Default' : options.filter((o) => o !== null).join(' / '),
      options,
      price: price.value ?? '0.00',
      compareAtPrice: compareAt.value,
      inventory: stock.value,
      imageUrl: variantImage.value,
      position: product.variants.length + 1,
    })
  }
}

function imageDraft(src: string, position: number, alt: string, fallback: number): ImageDraft {
  return {
    src,
    position: Number.isFinite(position) && position > 0 ? position : fallback + 1,
    alt: alt || null,
  }
}
