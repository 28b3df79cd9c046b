// The demo merchant: "Demo Store" with an owner, an editor and an agent, a web-chat channel, a store API key,
// a small catalogue (catalogue.json) and the six starter flows published. Idempotent: a second run adds nothing.
//   node --import tsx src/demo/seed.ts        (DATABASE_URL or PGlite in DATA_DIR, like the server)
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { type Database, openDatabase } from '@parley/db'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { createApiKey } from '../accounts/api-keys.ts'
import { sealChannelConfig } from '../channels/channel-secrets.ts'
import { loadConfig } from '../config.ts'
import { checkFlowDocument, triggerKindsOf } from '../flows/flow-documents.ts'
import { insertFlow, insertLiveVersion, lockFlow } from '../flows/flow-store.ts'
import { starterFlows } from '../flows/starter-flows.ts'
import type { Keyring } from '../security/keyring.ts'
import { hashPassword, type PasswordHashing } from '../security/password.ts'
import { randomToken } from '../security/signatures.ts'

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

/** One product of the demo catalogue (catalogue.json: edit the data file, not this code). */
const catalogueProduct = z
  .object({
    sku: z.string().min(1),
    title: z.string().min(1),
    description: z.string(),
    price: z.string().regex(/^\d+\.\d{2}$/),
    currency: z.string().length(3),
    /** The colour of the product's generated picture. */
    colour: z.string().regex(/^#[0-9a-f]{6}$/i),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.json()),
  })
  .strict()
export type DemoProduct = z.infer<typeof catalogueProduct>

/** The demo catalogue, read and checked once per process (a broken data file fails the seed, not a page). */
export function loadDemoCatalogue(): DemoProduct[] {
  const raw: unknown = JSON.parse(readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8'))
  return z.array(catalogueProduct).min(1).parse(raw)
}

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
        // The demo shows every abandoned cart being worked; a control group would hide half the story.
        holdout_percent: 0,
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
    const catalogue = loadDemoCatalogue()
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
          currency: product.currency,
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
