// Conversation numbers for a period: escalations per queue, time to the first human reply and to resolution
// (p50/p90, of escalations in the period), unclaimed timeouts, opt-outs, unreachable contacts, skipped sends.
import type { ConversationReport } from '@parley/api'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import { llmAnswerUsage } from '../llm/llm-answer-costs.ts'
import { publicPeriod, type ResolvedPeriod } from './report-period.ts'
import { readRollup } from './rollup-reader.ts'

const seconds = (v: string | number | null) => (v === null ? null : Math.round(Number(v)))

export async function conversationReport(
  db: Db,
  merchantId: string,
  period: ResolvedPeriod,
): Promise<ConversationReport> {
  const escalated = db
    .selectFrom('conversations')
    .where('merchant_id', '=', merchantId)
    .where('escalated_at', '>=', period.start)
    .where('escalated_at', '<', period.end)
  const [queues, times, optOuts, unreachable, skipped] = await Promise.all([
    escalated
      .select(['queue', sql<string>`count(*)`.as('n')])
      .groupBy('queue')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('queue')
      .execute(),
    escalated
      .select([
        sql<string>`count(first_staff_reply_at)`.as('replied'),
        sql<
          string | null
        >`percentile_cont(0.5) within group (order by extract(epoch from first_staff_reply_at - escalated_at))`.as(
          'reply_p50',
        ),
        sql<
          string | null
        >`percentile_cont(0.9) within group (order by extract(epoch from first_staff_reply_at - escalated_at))`.as(
          'reply_p90',
        ),
        sql<string>`count(resolved_at) filter (where resolved_at >= escalated_at)`.as('resolved'),
        sql<
          string | null
        >`percentile_cont(0.5) within group (order by extract(epoch from resolved_at - escalated_at))
          filter (where resolved_at >= escalated_at)`.as('resolve_p50'),
        sql<
          string | null
        >`percentile_cont(0.9) within group (order by extract(epoch from resolved_at - escalated_at))
          filter (where resolved_at >= escalated_at)`.as('resolve_p90'),
        sql<string>`count(unclaimed_at)`.as('unclaimed'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contacts')
      .select(sql<string>`count(*)`.as('n'))
      .where('merchant_id', '=', merchantId)
      .where('opted_out_at', '>=', period.start)
      .where('opted_out_at', '<', period.end)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contact_identities')
      .select(sql<string>`count(distinct contact_id)`.as('n'))
      .where('merchant_id', '=', merchantId)
      .where('unreachable_at', '>=', period.start)
      .where('unreachable_at', '<', period.end)
      .executeTakeFirstOrThrow(),
    readRollup(db, merchantId, period, ['send.skipped'], { byDay: false }),
  ])
  const byReason = new Map<string, number>()
  for (const row of skipped) byReason.set(row.dim, (byReason.get(row.dim) ?? 0) + row.n)

  // Optional AI answers (llm/): what they did and cost in the period, beside the rest of the conversation numbers.
  const ai = await llmAnswerUsage(db, merchantId, period.start, period.end, 'USD')
  return {
    period: publicPeriod(period),
    escalations: queues.map((q) => ({ queue: q.queue, count: Number(q.n) })),
    firstHumanReply: {
      count: Number(times.replied),
      p50Seconds: seconds(times.reply_p50),
      p90Seconds: seconds(times.reply_p90),
    },
    resolution: {
      count: Number(times.resolved),
      p50Seconds: seconds(times.resolve_p50),
      p90Seconds: seconds(times.resolve_p90),
    },
    unclaimedTimeouts: Number(times.unclaimed),
    optOuts: Number(optOuts.n),
    unreachableContacts: Number(unreachable.n),
    skippedSends: [...byReason]
      .filter(([, n]) => n > 0)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    aiAnswers: {
      attempts: ai.attempts,
      answered: ai.answered,
      fallbacks: ai.fallbacks,
      intentChecks: ai.intentChecks,
      cost: ai.cost,
      currency: ai.currency,
    },
  }
}
