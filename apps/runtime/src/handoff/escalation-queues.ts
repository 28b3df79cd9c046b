// The merchant's escalation queues: the built-in defaults (sales, support, returns), reading and replacing the
// list, and the settings of the queue an escalation names (a queue nobody defined gets the support defaults).
import type { EscalationQueueSetting, Weekday } from '@parley/api'
import type { EscalationQueue, NewEscalationQueue } from '@parley/db'
import { DEFAULT_QUEUES as BUILT_IN_QUEUES, defaultQueueFor } from '@parley/flow'
import type { Db } from '../engine/step-transaction.ts'

/** What a merchant who never saved queues has. */
export const DEFAULT_QUEUES: readonly EscalationQueueSetting[] =
  BUILT_IN_QUEUES as readonly EscalationQueueSetting[]

function settingOf(row: EscalationQueue): EscalationQueueSetting {
  return {
    key: row.key,
    name: row.name,
    businessHours: row.business_hours
      ? {
          days: row.business_hours.days as Weekday[],
          open: row.business_hours.open,
          close: row.business_hours.close,
        }
      : null,
    replyWithinMinutes: row.reply_within_minutes,
    acknowledgement: row.acknowledgement,
    acknowledgementClosed: row.acknowledgement_closed,
    unclaimedTimeoutMinutes: row.unclaimed_timeout_minutes,
    fallbackMessage: row.fallback_message,
  }
}

/** The merchant's queues in their order; the defaults when none were saved. */
export async function readQueues(db: Db, merchantId: string): Promise<EscalationQueueSetting[]> {
  const rows = await db
    .selectFrom('escalation_queues')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('position')
    .orderBy('key')
    .execute()
  return rows.length === 0 ? DEFAULT_QUEUES.map((q) => ({ ...q })) : rows.map(settingOf)
}

/** Replaces the merchant's queues with `queues` (validated by the shared schema), in that order. */
export async function replaceQueues(
  db: Db,
  merchantId: string,
  queues: readonly EscalationQueueSetting[],
  now: number,
): Promise<void> {
  await db.deleteFrom('escalation_queues').where('merchant_id', '=', merchantId).execute()
  const rows: NewEscalationQueue[] = queues.map((q, position) => ({
    merchant_id: merchantId,
    key: q.key,
    name: q.name,
    position,
    business_hours: q.businessHours,
    reply_within_minutes: q.replyWithinMinutes,
    acknowledgement: q.acknowledgement,
    acknowledgement_closed: q.acknowledgementClosed,
    unclaimed_timeout_minutes: q.unclaimedTimeoutMinutes,
    fallback_message: q.fallbackMessage,
    created_at: new Date(now),
    updated_at: new Date(now),
  }))
  await db.insertInto('escalation_queues').values(rows).execute()
}

/**
 * The settings of the queue an escalation names: the merchant's, else the built-in one of that name, else the
 * support defaults under the name the flow used (a flow may name a queue nobody set up yet).
 */
export async function queueSettings(
  db: Db,
  merchantId: string,
  key: string,
): Promise<EscalationQueueSetting> {
  const row = await db
    .selectFrom('escalation_queues')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('key', '=', key)
    .executeTakeFirst()
  if (row) return settingOf(row)
  return defaultQueueFor(key) as EscalationQueueSetting
}
