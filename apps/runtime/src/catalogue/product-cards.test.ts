// Product cards take the catalogue's image, price and link when the product is known (by our id, the store's id
// or gid, the handle, a variant id or SKU), and keep what the event carried otherwise; every send goes through it.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openConversation, upsertContactByIdentity } from '../contacts/contact-repository.ts'
import { queueSend } from '../effects/send.ts'
import { inStepTransaction } from '../engine/step-transaction.ts'
import { seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { writeProducts } from './catalogue-writer.ts'
import { cardFromCatalogue, catalogueCard } from './product-cards.ts'
import { draftFromGraphql } from './shopify-products.ts'

const eventCard = {
  title: 'Linen Shirt',
  imageUrl: 'https://event.example/old.jpg',
  price: 59,
  currency: 'EUR',
  url: 'https://checkout.example/recover',
}

describe('cardFromCatalogue', () => {
  const facts = {
    title: 'Linen Shirt 7',
    imageUrl: 'https://cdn.example/p7.jpg',
    price: '49.00',
    currency: 'EUR',
    url: 'https://shop.example/products/linen-shirt-7',
    variant: null,
  }

  it('takes image, price, currency and link from the catalogue and keeps the flow’s title', () => {
    expect(cardFromCatalogue({ ...eventCard, productId: '7' }, facts)).toEqual({
      title: 'Linen Shirt',
      productId: '7',
      imageUrl: 'https://cdn.example/p7.jpg',
      price: 49,
      currency: 'EUR',
      url: 'https://shop.example/products/linen-shirt-7',
    })
  })

  it('falls back to what the event carried for what the catalogue lacks, and to nothing when it is unknown', () => {
    const bare = { ...facts, imageUrl: null, url: null }
    expect(cardFromCatalogue(eventCard, bare)).toMatchObject({
      imageUrl: eventCard.imageUrl,
      url: eventCard.url,
      price: 49,
    })
    expect(cardFromCatalogue(eventCard, null)).toEqual(eventCard)
    expect(cardFromCatalogue({ ...eventCard, title: ' ' }, facts).title).toBe('Linen Shirt 7')
  })

  it('a variant’s price and image win over the product’s', () => {
    const card = cardFromCatalogue(eventCard, {
      ...facts,
      variant: { imageUrl: 'https://cdn.example/p7-sand.jpg', price: '44.50' },
    })
    expect(card).toMatchObject({ imageUrl: 'https://cdn.example/p7-sand.jpg', price: 44.5 })
  })
})

describe.each(testDatabases())('catalogue product cards on %s', (kind) => {
  let t: TestDeps
  let merchantId: string
  let productId: string

  beforeAll(async () => {
    t = await createTestDeps(kind)
    merchantId = (await seedMerchant(t.deps.db)).merchantId
    const node = {
      id: 'gid://shopify/Product/632910392',
      handle: 'linen-shirt',
      title: 'Linen Shirt',
      descriptionHtml: '',
      vendor: 'Linen & Co',
      productType: 'Shirts',
      tags: [],
      status: 'ACTIVE',
      onlineStoreUrl: 'https://shop.example/products/linen-shirt',
      options: [{ name: 'Color', position: 1 }],
      images: { nodes: [{ url: 'https://cdn.example/linen.jpg', altText: null }] },
      variants: {
        nodes: [
          {
            id: 'gid://shopify/ProductVariant/1',
            sku: 'LIN-BLUE',
            price: '49.00',
            position: 1,
            selectedOptions: [{ name: 'Color', value: 'Blue' }],
          },
          {
            id: 'gid://shopify/ProductVariant/39072856',
            sku: 'LIN-SAND',
            price: '44.50',
            position: 2,
            selectedOptions: [{ name: 'Color', value: 'Sand' }],
            image: { url: 'https://cdn.example/linen-sand.jpg' },
          },
        ],
      },
    }
    const draft = draftFromGraphql(node, 'EUR')
    if (!draft.ok) throw new Error(draft.reason)
    await writeProducts(t.deps.db, merchantId, [draft.draft], new Date())
    const row = await t.deps.db
      .selectFrom('products')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    productId = row.id
  })
  afterAll(() => t?.close())

  const card = (id: string) => catalogueCard(t.deps.db, merchantId, { ...eventCard, productId: id })

  it('knows the product by the store’s numeric id, its gid, its handle and our id', async () => {
    for (const id of ['632910392', 'gid://shopify/Product/632910392', 'linen-shirt', productId]) {
      expect(await card(id)).toMatchObject({
        imageUrl: 'https://cdn.example/linen.jpg',
        price: 44.5,
        url: 'https://shop.example/products/linen-shirt',
      })
    }
  })

  it('knows a variant by its id or SKU: the variant’s price and image', async () => {
    for (const id of ['39072856', 'LIN-SAND']) {
      expect(await card(id)).toMatchObject({ imageUrl: 'https://cdn.example/linen-sand.jpg', price: 44.5 })
    }
    expect(await card('LIN-BLUE')).toMatchObject({ imageUrl: 'https://cdn.example/linen.jpg', price: 49 })
  })

  it('keeps the event’s card for a product the catalogue does not know, or another merchant’s', async () => {
    expect(await card('999')).toEqual({ ...eventCard, productId: '999' })
    const other = (await seedMerchant(t.deps.db)).merchantId
    expect(await catalogueCard(t.deps.db, other, { ...eventCard, productId: 'linen-shirt' })).toEqual({
      ...eventCard,
      productId: 'linen-shirt',
    })
  })

  it('a queued send carries the catalogue’s card in its outbox row and transcript', async () => {
    const channel = await seedChannel(t.deps.db, merchantId, 'webchat')
    await inStepTransaction(t.deps, async (trx, ctx) => {
      const contact = await upsertContactByIdentity(trx, merchantId, channel.id, 'visitor-cards', {}, ctx.now)
      const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
      await queueSend(trx, ctx, {
        merchantId,
        conversationId: conversation.id,
        runId: null,
        nodeId: null,
        message: { text: 'Still thinking it over?', product: { ...eventCard, productId: '632910392' } },
        purpose: 'service',
        exemption: 'none',
      })
    })
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    expect((outbox.payload as { message: { product: unknown } }).message.product).toMatchObject({
      title: 'Linen Shirt',
      imageUrl: 'https://cdn.example/linen.jpg',
      price: 44.5,
      url: 'https://shop.example/products/linen-shirt',
    })
    const message = await t.deps.db
      .selectFrom('messages')
      .select('body')
      .where('merchant_id', '=', merchantId)
      .where('direction', '=', 'out')
      .executeTakeFirstOrThrow()
    expect((message.body as { product: { price: number } }).product.price).toBe(44.5)
  })
})
