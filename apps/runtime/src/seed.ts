// The demo merchant: "Demo Store" with an owner, an editor and an agent, a web-chat channel, a store API key,
// a small catalogue and the five starter flows published. Idempotent: a second run adds nothing.
//   node --import tsx src/seed.ts        (DATABASE_URL or PGlite in DATA_DIR, like the server)
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { type Database, type JsonObject, openDatabase } from '@parley/db'
import type { Kysely } from 'kysely'
import { createApiKey } from './accounts/api-keys.ts'
import { sealChannelConfig } from './channels/channel-secrets.ts'
import { loadConfig } from './config.ts'
import { checkFlowDocument, triggerKindsOf } from './flows/flow-documents.ts'
import { insertFlow, insertLiveVersion, lockFlow } from './flows/flow-store.ts'
import { starterFlows } from './flows/starter-flows.ts'
import type { Keyring } from './security/keyring.ts'
import { hashPassword, type PasswordHashing } from './security/password.ts'
import { randomToken } from './security/signatures.ts'

export const DEMO_MERCHANT_NAME = 'Demo Store'
export const DEMO_OWNER_EMAIL = 'owner@demo.parley.dev'
export const DEMO_EDITOR_EMAIL = 'editor@demo.parley.dev'
export const DEMO_AGENT_EMAIL = 'agent@demo.parley.dev'
const DEMO_KEY_NAME = 'Demo store'

export interface SeedDemoOptions {
  /** The staff password; random when absent. Only used when the users are created. */
  password?: string
  /** The scrypt cost (PASSWORD_HASHING when absent). */
  passwordHashing?: PasswordHashing
  now?: Date
  /** Seals channel secrets as the runtime stores them (the demo's web chat has none today). */
  keyring?: Keyring
}

export interface SeededDemo {
  merchantId: string
  created: boolean
  ownerEmail: string
  /** Set only on the run that created the users: it is not stored anywhere in the clear. */
  password?: string
  /** Set only on the run that created the key. */
  apiKey?: string
  webchatChannelId: string
  flowIds: string[]
  productCount: number
}

/** A flat product picture as an inline SVG data URL: no files to serve, works offline. */
function productImage(label: string, colour: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><rect width="400" height="400" fill="#f4f1ec"/><circle cx="200" cy="170" r="110" fill="${colour}"/><text x="200" y="350" font-family="system-ui, sans-serif" font-size="30" text-anchor="middle" fill="#333">${label}</text></svg>`
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`
}

const catalogue: {
  sku: string
  title: string
  price: string
  colour: string
  tags: string[]
  attributes: JsonObject
  description: string
}[] = [
  {
    sku: 'tee-organic',
    title: 'Organic Cotton Tee',
    price: '24.00',
    colour: '#2f4858',
    tags: ['tops'],
    description: 'A soft everyday tee in organic cotton.',
    attributes: {
      colors: ['black', 'white', 'navy', 'olive'],
      sizes: ['XS', 'S', 'M', 'L', 'XL'],
      fit: 'true to size',
      material: '100% organic cotton',
    },
  },
  {
    sku: 'hoodie-classic',
    title: 'Classic Hoodie',
    price: '59.00',
    colour: '#86bbd8',
    tags: ['tops'],
    description: 'Brushed fleece hoodie with a kangaroo pocket.',
    attributes: {
      colors: ['grey', 'navy', 'burgundy'],
      sizes: ['S', 'M', 'L', 'XL', 'XXL'],
      fit: 'relaxed; size down for a closer fit',
      material: '80% cotton, 20% recycled polyester',
    },
  },
  {
    sku: 'jeans-slim',
    title: 'Slim Fit Jeans',
    price: '79.00',
    colour: '#33658a',
    tags: ['bottoms'],
    description: 'Stretch denim in a slim, tapered cut.',
    attributes: {
      colors: ['blue', 'black'],
      sizes: ['28', '30', '32', '34', '36'],
      fit: 'runs small; order one size up',
      material: '98% cotton, 2% elastane',
    },
  },
  {
    sku: 'chinos-straight',
    title: 'Straight Chinos',
    price: '65.00',
    colour: '#c8b273',
    tags: ['bottoms'],
    description: 'Garment-dyed chinos with a straight leg.',
    attributes: {
      colors: ['khaki', 'navy', 'olive'],
      sizes: ['28', '30', '32', '34', '36'],
      fit: 'true to size',
      material: '100% cotton twill',
    },
  },
  {
    sku: 'sneaker-runner',
    title: 'Everyday Runner Sneakers',
    price: '110.00',
    colour: '#f26419',
    tags: ['shoes'],
    description: 'Light runners with a recycled knit upper.',
    attributes: {
      colors: ['white', 'black', 'orange'],
      sizes: ['38', '39', '40', '41', '42', '43', '44', '45'],
      fit: 'runs large; half a size down',
      material: 'recycled polyester knit, EVA sole',
    },
  },
  {
    sku: 'boot-chelsea',
    title: 'Leather Chelsea Boots',
    price: '180.00',
    colour: '#6b4226',
    tags: ['shoes'],
    description: 'Pull-on Chelsea boots in waxed leather.',
    attributes: {
      colors: ['brown', 'black'],
      sizes: ['39', '40', '41', '42', '43', '44', '45'],
      fit: 'true to size',
      material: 'full-grain leather',
    },
  },
  {
    sku: 'jacket-rain',
    title: 'Packable Rain Jacket',
    price: '120.00',
    colour: '#f6ae2d',
    tags: ['outerwear'],
    description: 'Waterproof, breathable and packs into its own pocket.',
    attributes: {
      colors: ['yellow', 'navy', 'black'],
      sizes: ['S', 'M', 'L', 'XL'],
      fit: 'roomy to layer over a sweater',
      material: 'recycled nylon, 10k waterproofing',
    },
  },
  {
    sku: 'sweater-merino',
    title: 'Merino Crew Sweater',
    price: '95.00',
    colour: '#8e5572',
    tags: ['tops'],
    description: 'Fine-gauge merino that does not itch.',
    attributes: {
      colors: ['grey', 'navy', 'cream', 'burgundy'],
      sizes: ['XS', 'S', 'M', 'L', 'XL'],
      fit: 'slim; size up for a relaxed fit',
      material: '100% extra-fine merino wool',
    },
  },
  {
    sku: 'cap-wool',
    title: 'Wool Baseball Cap',
    price: '32.00',
    colour: '#55505c',
    tags: ['accessories'],
    description: 'A six-panel cap in a wool blend.',
    attributes: {
      colors: ['grey', 'black', 'green'],
      sizes: ['one size'],
      fit: 'adjustable strap',
      material: 'wool blend',
    },
  },
  {
    sku: 'bag-tote',
    title: 'Canvas Tote Bag',
    price: '45.00',
    colour: '#9bc53d',
    tags: ['accessories'],
    description: 'Heavy canvas tote with an inside pocket.',
    attributes: {
      colors: ['natural', 'black', 'green'],
      sizes: ['one size'],
      material: '16 oz cotton canvas',
    },
  },
]

async function ensureUser(
  db: Kysely<Database>,
  merchantId: string,
  email: string,
  role: 'owner' | 'editor' | 'agent',
  passwordHash: string,
) {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('email', '=', email)
    .executeTakeFirst()
  if (existing) return { id: existing.id, created: false }
  const row = await db
    .insertInto('users')
    .values({
      merchant_id: merchantId,
      email,
      role,
      name: role[0]!.toUpperCase() + role.slice(1),
      password_hash: passwordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, created: true }
}

/**
 * Creates (or completes) the demo merchant.
 * @example const demo = await seedDemo(db); console.log(demo.password) // only on the first run
 */
export async function seedDemo(db: Kysely<Database>, options: SeedDemoOptions = {}): Promise<SeededDemo> {
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    let merchant = await trx
      .selectFrom('merchants')
      .select('id')
      .where('name', '=', DEMO_MERCHANT_NAME)
      .orderBy('created_at')
      .executeTakeFirst()
    const created = !merchant
    merchant ??= await trx
      .insertInto('merchants')
      .values({
        name: DEMO_MERCHANT_NAME,
        timezone: 'Europe/London',
        // Marketing sends wait out the night (21:00–08:00 in the shopper's zone), as a careful store sets it.
        quiet_hours_start_minute: 21 * 60,
        quiet_hours_end_minute: 8 * 60,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const merchantId = merchant.id

    const password = options.password ?? randomToken(12)
    const passwordHash = await hashPassword(password, options.passwordHashing)
    const owner = await ensureUser(trx, merchantId, DEMO_OWNER_EMAIL, 'owner', passwordHash)
    await ensureUser(trx, merchantId, DEMO_EDITOR_EMAIL, 'editor', passwordHash)
    await ensureUser(trx, merchantId, DEMO_AGENT_EMAIL, 'agent', passwordHash)

    let channel = await trx
      .selectFrom('channels')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('kind', '=', 'webchat')
      .executeTakeFirst()
    const channelId = randomUUID()
    const channelConfig = { greeting: 'Hi! How can we help?' }
    channel ??= await trx
      .insertInto('channels')
      .values({
        id: channelId,
        merchant_id: merchantId,
        kind: 'webchat',
        name: 'Web chat',
        config: options.keyring
          ? sealChannelConfig(options.keyring, { id: channelId, kind: 'webchat' }, channelConfig)
          : channelConfig,
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    let apiKey: string | undefined
    const key = await trx
      .selectFrom('api_keys')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('name', '=', DEMO_KEY_NAME)
      .executeTakeFirst()
    if (!key)
      apiKey = (await createApiKey(trx, { merchantId, name: DEMO_KEY_NAME, createdBy: owner.id, now })).key

    const known = new Set(
      (
        await trx.selectFrom('products').select('external_id').where('merchant_id', '=', merchantId).execute()
      ).map((p) => p.external_id),
    )
    for (const product of catalogue) {
      if (known.has(product.sku)) continue
      await trx
        .insertInto('products')
        .values({
          merchant_id: merchantId,
          external_id: product.sku,
          title: product.title,
          description: product.description,
          price: product.price,
          currency: 'USD',
          image_url: productImage(product.title, product.colour),
          url: `/demo/products/${product.sku}`,
          tags: product.tags,
          attributes: product.attributes,
        })
        .execute()
    }

    const flowIds: string[] = []
    for (const starter of starterFlows) {
      const existing = await trx
        .selectFrom('flows')
        .select('id')
        .where('merchant_id', '=', merchantId)
        .where('name', '=', starter.name)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
      if (existing) {
        flowIds.push(existing.id)
        continue
      }
      const flowId = await insertFlow(trx, {
        merchantId,
        name: starter.name,
        document: starter.document,
        now,
      })
      await lockFlow(trx, merchantId, flowId)
      const check = checkFlowDocument(starter.document)
      if (!check.parsed || check.hasErrors) throw new Error(`Starter flow ${starter.id} does not validate`)
      await insertLiveVersion(trx, {
        merchantId,
        flowId,
        document: starter.document,
        triggerKinds: triggerKindsOf(check.doc),
        publishedBy: owner.id,
        now,
      })
      flowIds.push(flowId)
    }

    return {
      merchantId,
      created,
      ownerEmail: DEMO_OWNER_EMAIL,
      ...(owner.created ? { password } : {}),
      ...(apiKey ? { apiKey } : {}),
      webchatChannelId: channel.id,
      flowIds,
      productCount: catalogue.length,
    }
  })
}

async function main() {
  const config = loadConfig()
  const opened = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : config.DATA_DIR,
  })
  try {
    const demo = await seedDemo(opened.db, { password: process.env.DEMO_PASSWORD, keyring: config.keyring })
    console.log(
      demo.created
        ? 'Seeded the demo merchant "Demo Store".'
        : 'The demo merchant "Demo Store" is already there.',
    )
    if (demo.password)
      console.log(
        `  Sign in as ${demo.ownerEmail} / ${demo.password}  (also editor@ and agent@demo.parley.dev)`,
      )
    else console.log(`  Owner: ${demo.ownerEmail} (password set on the first seed)`)
    if (demo.apiKey) console.log(`  Store API key (shown once): ${demo.apiKey}`)
    console.log(
      `  Web-chat channel: ${demo.webchatChannelId}; ${demo.flowIds.length} flows published; ${demo.productCount} products`,
    )
  } finally {
    await opened.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
