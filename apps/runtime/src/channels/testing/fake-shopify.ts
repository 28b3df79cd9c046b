// A fake Shopify Admin GraphQL API on loopback: the `shop` query, webhookSubscriptionCreate and the catalogue's
// paged products query (cursor pagination as Shopify does it: `first` ≤ 250, `after` an opaque cursor, pageInfo),
// checking the access token header, the API path and the variables as Shopify's schema types them.
import {
  type FakeAnswer,
  type FakeProvider,
  type RecordedRequest,
  startFakeProvider,
} from './fake-provider.ts'

export interface FakeShopify extends FakeProvider {
  /** Registered subscriptions: topic → callback URL. */
  subscriptions: Map<string, string>
  /** The store's products as the Admin GraphQL API returns them (see fakeProductNode), in id order. */
  products: Record<string, unknown>[]
  currencyCode: string
}

/**
 * A product node as PRODUCTS_QUERY reads it: `n` picks its id and handle; two sizes × two colours.
 * @example fake.products = [fakeProductNode(1), fakeProductNode(2, { title: 'Wool Scarf' })]
 */
export function fakeProductNode(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const variants = ['S', 'M'].flatMap((size, i) =>
    ['Blue', 'Sand'].map((colour, j) => ({
      id: `gid://shopify/ProductVariant/${n * 100 + i * 2 + j}`,
      sku: `LIN-${n}-${size}-${colour.toUpperCase()}`,
      title: `${size} / ${colour}`,
      price: '49.00',
      compareAtPrice: j === 0 ? '59.00' : null,
      inventoryQuantity: 3,
      position: i * 2 + j + 1,
      selectedOptions: [
        { name: 'Size', value: size },
        { name: 'Color', value: colour },
      ],
      image: j === 1 ? { url: `https://cdn.shopify.com/s/files/p${n}-sand.jpg` } : null,
      inventoryItem: { tracked: true },
    })),
  )
  return {
    id: `gid://shopify/Product/${n}`,
    handle: `linen-shirt-${n}`,
    title: `Linen Shirt ${n}`,
    descriptionHtml: '<p>Breathable, <strong>washed</strong> linen.</p>',
    vendor: 'Linen & Co',
    productType: 'Shirts',
    tags: ['linen', 'summer'],
    status: 'ACTIVE',
    onlineStoreUrl: `https://linen.example/products/linen-shirt-${n}`,
    options: [
      { name: 'Size', position: 1 },
      { name: 'Color', position: 2 },
    ],
    images: {
      nodes: [
        { url: `https://cdn.shopify.com/s/files/p${n}.jpg`, altText: `Linen Shirt ${n}` },
        { url: `https://cdn.shopify.com/s/files/p${n}-sand.jpg`, altText: null },
      ],
    },
    variants: { pageInfo: { hasNextPage: false }, nodes: variants },
    ...overrides,
  }
}

const TOPIC = /^[A-Z_]+$/

export async function startFakeShopify(options: {
  accessToken: string
  shopName: string
  apiVersion: string
}): Promise<FakeShopify> {
  let counter = 0
  const fake = (await startFakeProvider(() => ({
    status: 404,
    body: { errors: 'Not Found' },
  }))) as FakeShopify
  fake.subscriptions = new Map()
  fake.products = []
  fake.currencyCode = 'EUR'
  fake.fallback = (request: RecordedRequest): FakeAnswer => {
    if (request.method !== 'POST' || request.path !== `/admin/api/${options.apiVersion}/graphql.json`) {
      return { status: 404, body: { errors: 'Not Found' } }
    }
    if (request.headers['x-shopify-access-token'] !== options.accessToken) {
      return {
        status: 401,
        body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      }
    }
    const body = (request.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> }
    const query = typeof body.query === 'string' ? body.query : ''
    if (/^\s*query\s*\{\s*shop\s*\{/.test(query)) {
      return {
        status: 200,
        body: { data: { shop: { name: options.shopName, myshopifyDomain: 'fake.myshopify.com' } } },
      }
    }
    if (
      /mutation webhookSubscriptionCreate\(\$topic: WebhookSubscriptionTopic!, \$webhookSubscription: WebhookSubscriptionInput!\)/.test(
        query,
      )
    ) {
      const topic = body.variables?.topic
      const input = body.variables?.webhookSubscription as Record<string, unknown> | undefined
      if (typeof topic !== 'string' || !TOPIC.test(topic)) {
        return {
          status: 200,
          body: {
            errors: [
              { message: `Variable $topic of type WebhookSubscriptionTopic! was provided invalid value` },
            ],
          },
        }
      }
      if (!input || typeof input.callbackUrl !== 'string' || input.format !== 'JSON') {
        return {
          status: 200,
          body: { errors: [{ message: 'Variable $webhookSubscription was provided invalid value' }] },
        }
      }
      const taken = fake.subscriptions.get(topic) === input.callbackUrl
      fake.subscriptions.set(topic, input.callbackUrl)
      counter += 1
      return {
        status: 200,
        body: {
          data: {
            webhookSubscriptionCreate: taken
              ? {
                  webhookSubscription: null,
                  userErrors: [
                    { field: ['callbackUrl'], message: 'Address for this topic has already been taken' },
                  ],
                }
              : {
                  webhookSubscription: { id: `gid://shopify/WebhookSubscription/${counter}`, topic },
                  userErrors: [],
                },
          },
        },
      }
    }
    if (/^\s*query catalogueProducts\(\$first: Int!, \$after: String\)/.test(query)) {
      return productsPage(fake, body.variables ?? {})
    }
    return { status: 200, body: { errors: [{ message: 'Unexpected query' }] } }
  }
  return fake
}

/** One page of `products(first, after)`: the cursor names the last product of the previous page. */
function productsPage(fake: FakeShopify, variables: Record<string, unknown>): FakeAnswer {
  const first = variables.first
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > 250) {
    return {
      status: 200,
      body: {
        errors: [
          { message: 'The first argument must be between 1 and 250', extensions: { code: 'BAD_REQUEST' } },
        ],
      },
    }
  }
  let start = 0
  if (variables.after !== undefined && variables.after !== null) {
    const id = typeof variables.after === 'string' ? Buffer.from(variables.after, 'base64url').toString() : ''
    const at = fake.products.findIndex((p) => p.id === id)
    if (at < 0)
      return { status: 200, body: { errors: [{ message: 'Invalid cursor for current pagination sort.' }] } }
    start = at + 1
  }
  const page = fake.products.slice(start, start + first)
  const last = page[page.length - 1]
  return {
    status: 200,
    body: {
      data: {
        shop: { currencyCode: fake.currencyCode },
        productsCount: { count: fake.products.length },
        products: {
          pageInfo: {
            hasNextPage: start + first < fake.products.length,
            endCursor: last ? Buffer.from(String(last.id)).toString('base64url') : null,
          },
          nodes: page,
        },
      },
    },
  }
}
