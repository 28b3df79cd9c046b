// Sends delivered inside the step's own transaction. On a channel whose delivery is our own transcript row (web
// chat: the widget reads the transcript and is told of new rows after commit), queueing an outbox row for the
// relay to claim, "send" and record only wrote the same row three more times and cost the relay's CPU. Such a
// send is written already `delivered` instead, with no outbox row; what the relay would have recorded for it is
// written with the step: the conversation's `last_message_at` (step-writes.ts), the link redirects
// (message-links.ts) and its cart's abandonment episode count. The realtime notice goes out after commit with the
// step's other notices. Policy is the step's own decision (effects/send.ts): the relay's recheck just before
// sending would see the same facts in the same transaction.
//
// Only when the send may leave now, in order: the policy queued it for now (not deferred by quiet hours, not
// held for staff), and no earlier send of the conversation waits in the outbox or was queued earlier in this
// batch. Waiting sends are looked at twice: with the conversation (policy/send-facts.ts `sendsWaiting`), then
// under its lock when the batch flushes (engine/step-batch.ts), which alone decides. Otherwise it is queued as
// before and the relay's head-of-line rule keeps the order.
import type { Run } from '@parley/db'
import { sql } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import type { SendRows } from '../effects/send.ts'
import { messageBody } from '../effects/send.ts'
import type { Db } from '../engine/step-transaction.ts'
import type { SendTarget } from '../policy/send-facts.ts'
import { type LinkRow, recordLinks, rewriteSendLinks } from './message-links.ts'

/** Whether a decided send goes out in the step (see the file comment). */
export function deliversInStep(
  deps: Pick<RuntimeDeps, 'channels'>,
  target: SendTarget,
  rows: SendRows,
  options: { now: number; queuedEarlier: boolean },
): boolean {
  const { decision } = rows
  return (
    rows.job !== null &&
    decision.kind === 'queue' &&
    decision.sendAt <= options.now &&
    !target.sendsWaiting &&
    !options.queuedEarlier &&
    deps.channels[target.channel.kind]?.inStepDelivery !== undefined
  )
}

/** What a batch's in-step deliveries still write once its rows are: their links and episode counts. */
export class InStepDeliveries {
  readonly #links: LinkRow[] = []
  /** Sends of cart-recovery runs, counted on their cart's open abandonment episode. */
  readonly #recoverySends: { merchant_id: string; run_id: string }[] = []

  constructor(private readonly deps: Pick<RuntimeDeps, 'config' | 'channels'>) {}

  /**
   * Turns a queued send's rows into a delivered one (in place): the transcript row `delivered` with its links
   * redirected, no outbox row.
   */
  deliver(
    target: SendTarget,
    rows: SendRows,
    run: Pick<Run, 'id' | 'trigger_kind'> | null,
    now: number,
  ): void {
    const { job, message } = rows
    const delivery = this.deps.channels[target.channel.kind]?.inStepDelivery
    if (!job || !delivery) throw new Error('Only a queued send on a channel that delivers in the step')
    const { links } = rewriteSendLinks(
      { publicUrl: this.deps.config.PUBLIC_URL, secret: this.deps.config.secret },
      [{ merchantId: message.merchant_id, runId: message.run_id ?? null, job }],
    )
    this.#links.push(...links)
    if (links.length > 0)
      message.body = messageBody(job.message, job.mode === 'template' ? job.template : undefined)
    const at = new Date(now)
    message.status = 'delivered'
    message.provider_message_id = delivery.providerMessageId(message.id)
    message.sent_at = at
    message.delivered_at = at
    rows.outbox = null
    if (run?.trigger_kind === 'cart.abandoned') {
      this.#recoverySends.push({ merchant_id: message.merchant_id, run_id: run.id })
    }
  }

  /** Writes the links and episode counts in `trx`, after the batch's rows (the links name their messages). */
  async write(trx: Db, now: number): Promise<void> {
    await recordLinks(trx, this.#links.splice(0), now)
    const sends = this.#recoverySends.splice(0)
    if (sends.length === 0) return
    const at = new Date(now)
    // As the relay counts a sent recovery message (outbox-outcomes.ts): on the open episode of the cart whose
    // token keys the run.
    await sql`
      with episode_sends as (
        select e.merchant_id, e.id, count(*)::int as n, (array_agg(r.flow_id))[1] as flow_id
        from jsonb_to_recordset(${JSON.stringify(sends)}::jsonb) as s(merchant_id uuid, run_id uuid)
        join runs r on r.merchant_id = s.merchant_id and r.id = s.run_id
        join carts c on c.merchant_id = r.merchant_id and c.token = r.correlation_key
        join cart_episodes e on e.merchant_id = c.merchant_id and e.cart_id = c.id and e.status = 'open'
        where r.trigger_kind = 'cart.abandoned'
        group by e.merchant_id, e.id
      )
      update cart_episodes set
        messages_sent = cart_episodes.messages_sent + es.n,
        first_message_at = coalesce(cart_episodes.first_message_at, ${at}),
        last_message_at = ${at},
        flow_id = coalesce(cart_episodes.flow_id, es.flow_id)
      from episode_sends es
      where cart_episodes.merchant_id = es.merchant_id and cart_episodes.id = es.id`.execute(trx)
  }
}
