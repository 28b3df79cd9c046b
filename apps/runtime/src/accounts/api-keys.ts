// Store API keys: `pk_live_<prefix>_<secret>`. Only the SHA-256 of the whole key is stored; the prefix is kept
// in the clear so merchants can tell keys apart.
import { randomBytes } from 'node:crypto'
import type { ApiKey, Database } from '@parley/db'
import type { Kysely } from 'kysely'
import { digestToken, randomToken } from '../security/signatures.ts'

const KEY_PATTERN = /^pk_live_[0-9a-f]{8}_[A-Za-z0-9_-]{32,64}$/

export function isApiKeyShaped(key: string): boolean {
  return KEY_PATTERN.test(key)
}

export async function createApiKey(
  db: Kysely<Database>,
  input: { merchantId: string; name: string; createdBy: string | null; now: Date },
): Promise<{ apiKey: ApiKey; key: string }> {
  const prefix = `pk_live_${randomBytes(4).toString('hex')}`
  const key = `${prefix}_${randomToken(32)}`
  const apiKey = await db
    .insertInto('api_keys')
    .values({
      merchant_id: input.merchantId,
      name: input.name,
      prefix,
      key_hash: digestToken(key),
      created_by: input.createdBy,
      created_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { apiKey, key }
}

export function listApiKeys(db: Kysely<Database>, merchantId: string): Promise<ApiKey[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
}

/** Marks the key revoked (idempotent); false when the merchant has no such key. */
export async function revokeApiKey(
  db: Kysely<Database>,
  merchantId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const key = await db
    .selectFrom('api_keys')
    .select(['id', 'revoked_at'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!key) return false
  if (!key.revoked_at) {
    await db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', id)
      .execute()
  }
  return true
}

/**
 * The active key a store presented, across merchants (the key itself says nothing about its merchant).
 * api_keys is small (a few rows per merchant), so the lookup by hash stays cheap without a global index.
 */
export async function findActiveApiKey(db: Kysely<Database>, key: string): Promise<ApiKey | null> {
  if (!isApiKeyShaped(key)) return null
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', digestToken(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return row ?? null
}

export async function markApiKeyUsed(db: Kysely<Database>, key: ApiKey, now: Date): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('merchant_id', '=', key.merchant_id)
    .where('id', '=', key.id)
    .execute()
}
