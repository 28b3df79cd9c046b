// The context panel beside a conversation, read in a handful of set-based queries: the contact and where they
// can be reached, their newest cart, their recent orders with tracking, the escalation, and what the bot did
// (the conversation's newest run: its flow, version, the steps it visited and its last messages).
import type { InboxContext, InboxOptions } from '@parley/api'
import type { Database } from '@parley/db'
import { getNodeKind } from '@parley/flow'
import { type Kysely, sql } from 'kysely'
import { NotFoundError } from '../domain-errors.ts'
import { escalationOrder, escalationPhotos } from './escalation-case.ts'

type Db = Kysely<Database>

export async function loadInboxContext(
  db: Db,
  merchantId: string,
  conversationId: string,
): Promise<InboxContext> {
  const conversation = await db
    .selectFrom('conversations')
    .select(['contact_id', 'queue', 'escalation', 'escalated_at'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', conversationId)
    .executeTakeFirst()
  if (!conversation) throw new NotFoundError('Conversation')
  const contactId = conversation.contact_id
  const [contact, identities, cart, orders, bot] = await Promise.all([
    db
      .selectFrom('contacts')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contact_identities as ci')
      .innerJoin('channels as ch', (j) =>
        j.onRef('ch.merchant_id', '=', 'ci.merchant_id').onRef('ch.id', '=', 'ci.channel_id'),
      )
      .select(['ch.kind', 'ch.name', 'ci.unreachable_at'])
      .where('ci.merchant_id', '=', merchantId)
      .where('ci.contact_id', '=', contactId)
      .orderBy('ci.created_at')
      .execute(),
    db
      .selectFrom('carts')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('contact_id', '=', contactId)
      .orderBy('last_activity_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('orders')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('contact_id', '=', contactId)
      .orderBy('created_at', 'desc')
      .limit(5)
      .execute(),
    loadBotActivity(db, merchantId, conversationId),
  ])
  const escalation = conversation.escalation as Record<string, unknown> | null
  const casePhotos = await escalationPhotos(db, merchantId, conversationId, escalation)
  return {
    contact: {
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      timezone: contact.timezone,
      optedOut: contact.opted_out_at !== null,
      marketingConsent: contact.marketing_consent,
      channels: identities.map((i) => ({
        kind: i.kind,
        name: i.name,
        unreachable: i.unreachable_at !== null,
      })),
    },
    cart: cart
      ? {
          items: cart.items.map((item) => ({
            title: String(item.title ?? ''),
            quantity: Number(item.quantity ?? 1),
            price: item.price === null || item.price === undefined ? null : String(item.price),
          })),
          total: cart.value,
          currency: cart.currency,
          link: cart.checkout_url,
          status: cart.status,
          lastActivityAt: cart.last_activity_at.toISOString(),
        }
      : null,
    orders: orders.map((o) => ({
      number: o.number,
      status: o.status,
      total: o.total,
      currency: o.currency,
      trackingNumber: o.tracking_number,
      trackingCarrier: o.tracking_carrier,
      trackingUrl: o.tracking_url,
      createdAt: o.created_at.toISOString(),
    })),
    escalation:
      escalation || conversation.escalated_at
        ? {
            queue: conversation.queue,
            summary: typeof escalation?.summary === 'string' ? escalation.summary : '',
            fields: stringFields(escalation?.fields),
            escalatedAt: conversation.escalated_at?.toISOString() ?? null,
            order: escalationOrder(escalation),
            photos: casePhotos,
          }
        : null,
    bot,
  }
}

async function loadBotActivity(
  db: Db,
  merchantId: string,
  conversationId: string,
): Promise<InboxContext['bot']> {
  const run = await db
    .selectFrom('runs as r')
    .innerJoin('flow_versions as v', (j) =>
      j.onRef('v.merchant_id', '=', 'r.merchant_id').onRef('v.id', '=', 'r.flow_version_id'),
    )
    .innerJoin('flows as f', (j) =>
      j.onRef('f.merchant_id', '=', 'r.merchant_id').onRef('f.id', '=', 'r.flow_id'),
    )
    .select(['r.id', 'r.status', 'r.outcome', 'v.version', 'v.document', 'f.id as flow_id', 'f.name'])
    .where('r.merchant_id', '=', merchantId)
    .where('r.conversation_id', '=', conversationId)
    .orderBy('r.started_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!run) return null
  const [visits, messages] = await Promise.all([
    // The run's last 20 nodes entered, newest first: a row holds a step's nodes in order (one row or more each).
    sql<{ node_id: string; at: Date }>`select e.node_id, v.at
      from (select node_ids, at, seq from node_visits where merchant_id = ${merchantId} and run_id = ${run.id}
        order by seq desc limit 20) v
      cross join lateral unnest(v.node_ids) with ordinality as e(node_id, ord)
      order by v.seq desc, e.ord desc
      limit 20`
      .execute(db)
      .then((r) => r.rows),
    db
      .selectFrom('messages')
      .select(['body', 'created_at'])
      .where('merchant_id', '=', merchantId)
      .where('run_id', '=', run.id)
      .where('author', '=', 'bot')
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(3)
      .execute(),
  ])
  const nodes = new Map(
    (
      (
        run.document as {
          nodes?: { id: string; kind: string; name?: string; config?: Record<string, unknown> }[]
        }
      ).nodes ?? []
    ).map((n) => [n.id, n]),
  )
  return {
    flowId: run.flow_id,
    flowName: run.name,
    version: run.version,
    status: run.status,
    outcome: run.outcome,
    steps: visits.reverse().map((visit) => {
      const node = nodes.get(visit.node_id)
      const text = node?.config?.text
      return {
        // The merchant's own name for the step when they gave one ("Ask the team"), else its kind's.
        title: node?.name || (node && getNodeKind(node.kind)?.title) || 'A step since removed',
        detail: typeof text === 'string' && text ? text : null,
        at: visit.at.toISOString(),
      }
    }),
    lastMessages: messages.reverse().map((m) => ({
      text: typeof (m.body as { text?: unknown }).text === 'string' ? (m.body as { text: string }).text : '',
      at: m.created_at.toISOString(),
    })),
  }
}

/** The queues, channels and colleagues an agent filters by or assigns to. */
export async function loadInboxOptions(db: Db, merchantId: string): Promise<InboxOptions> {
  const [queues, channels, staff] = await Promise.all([
    db
      .selectFrom('conversations')
      .select('queue')
      .distinct()
      .where('merchant_id', '=', merchantId)
      .where('queue', 'is not', null)
      .orderBy('queue')
      .limit(200)
      .execute(),
    db
      .selectFrom('channels')
      .select(['id', 'kind', 'name'])
      .where('merchant_id', '=', merchantId)
      .where('kind', '<>', 'shopify')
      .orderBy('name')
      .execute(),
    db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('merchant_id', '=', merchantId)
      .where('disabled_at', 'is', null)
      .orderBy('name')
      .execute(),
  ])
  return {
    queues: queues.flatMap((q) => (q.queue ? [q.queue] : [])),
    channels,
    staff: staff.map((u) => ({ id: u.id, name: u.name || u.email })),
  }
}

function stringFields(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {}
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
  )
}
