// Click tracking (README "How recovery is counted"): when a message is about to go out (the relay's claim, or
// the step itself for a send delivered in it, delivery/in-step-delivery.ts), every link in it —
// in the text, the product card, a button, a template's parameters — becomes `<PUBLIC_URL>/r/<id>`, one
// message_links row per link; GET /r/<id> (routes/link-redirect.ts) counts the click and forwards. The id is an
// HMAC of the message id and the link's position: unguessable, no personal data, and the same when a send is
// retried, so a retry neither mints new links nor changes the text. Without PUBLIC_URL links go out unchanged
// (there is no address the shopper could reach us at). Images are never rewritten: they must load directly.
import { createHmac } from 'node:crypto'
import type { OutboundMessage, TemplateRef } from '@parley/flow'
import { sql } from 'kysely'
import type { MessageJob } from '../effects/send.ts'
import { messageBody } from '../effects/send.ts'
import type { Db } from '../engine/step-transaction.ts'

/** 22 base64url characters (132 bits). */
const LINK_ID_LENGTH = 22
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/
/** http(s) URLs in running text; trailing punctuation belongs to the sentence, not the link. */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/g
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/

/** The link id of the `index`-th link of a message. */
export function linkId(secret: string, merchantId: string, messageId: string, index: number): string {
  return createHmac('sha256', secret)
    .update(`link:${merchantId}:${messageId}:${index}`)
    .digest('base64url')
    .slice(0, LINK_ID_LENGTH)
}

export interface RewrittenLinks {
  message: OutboundMessage
  template?: TemplateRef
  fallbackTemplate?: TemplateRef
  /** The original targets, in the order their ids were given (index = position). */
  targets: string[]
}

/**
 * Replaces every link of a message with its redirect. `redirect(target, index)` gives the new URL.
 * @example rewriteLinks({ text: 'Back: https://shop.example/cart/1.' }, redirect).message.text // 'Back: https://parley.example/r/….'
 */
export function rewriteLinks(
  parts: { message: OutboundMessage; template?: TemplateRef; fallbackTemplate?: TemplateRef },
  redirect: (target: string, index: number) => string,
  isRedirect: (url: string) => boolean,
): RewrittenLinks {
  const targets: string[] = []
  const swap = (url: string) => {
    if (isRedirect(url)) return url
    targets.push(url)
    return redirect(url, targets.length - 1)
  }
  const inText = (text: string) =>
    text.replace(URL_IN_TEXT, (match) => {
      const trailing = TRAILING_PUNCTUATION.exec(match)?.[0] ?? ''
      const url = match.slice(0, match.length - trailing.length)
      return `${swap(url)}${trailing}`
    })
  const isUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\//.test(value)
  const message: OutboundMessage = { ...parts.message, text: inText(parts.message.text) }
  if (parts.message.product && isUrl(parts.message.product.url)) {
    message.product = { ...parts.message.product, url: swap(parts.message.product.url) }
  }
  if (parts.message.products) {
    message.products = parts.message.products.map((card) =>
      isUrl(card.url) ? { ...card, url: swap(card.url) } : card,
    )
  }
  if (parts.message.link && isUrl(parts.message.link.url)) {
    message.link = { ...parts.message.link, url: swap(parts.message.link.url) }
  }
  if (parts.message.buttons) {
    // Link buttons carry a url beside their title (quick replies do not).
    message.buttons = parts.message.buttons.map((button) => {
      const url = (button as { url?: unknown }).url
      return isUrl(url) ? { ...button, url: swap(url) } : button
    })
  }
  const inTemplate = (template: TemplateRef | undefined) =>
    template && { ...template, params: template.params.map(inText) }
  const template = inTemplate(parts.template)
  const fallbackTemplate = inTemplate(parts.fallbackTemplate)
  return {
    message,
    ...(template ? { template } : {}),
    ...(fallbackTemplate ? { fallbackTemplate } : {}),
    targets,
  }
}

export interface LinkedSend {
  merchantId: string
  /** The run that sent it, if any: its cart's open abandonment episode gets the links. */
  runId: string | null
  job: MessageJob
}

/** A message_links row to insert (its episode found from the run when written). */
export interface LinkRow {
  merchant_id: string
  id: string
  message_id: string
  run_id: string | null
  target_url: string
}

export interface LinkOptions {
  publicUrl: string | undefined
  secret: string
}

/**
 * Rewrites the links of sends in place (their jobs), in memory. Returns the links to record and the sends whose
 * message changed (their transcript body is due a rewrite when it was written already).
 */
export function rewriteSendLinks(
  options: LinkOptions,
  sends: readonly LinkedSend[],
): { links: LinkRow[]; rewritten: LinkedSend[] } {
  const links: LinkRow[] = []
  const rewrittenSends: LinkedSend[] = []
  if (!options.publicUrl) return { links, rewritten: rewrittenSends }
  const base = `${options.publicUrl.replace(/\/+$/, '')}/r/`
  for (const send of sends) {
    const { job } = send
    const rewritten = rewriteLinks(
      {
        message: job.message,
        ...(job.template ? { template: job.template } : {}),
        ...(job.fallbackTemplate ? { fallbackTemplate: job.fallbackTemplate } : {}),
      },
      (_, index) => `${base}${linkId(options.secret, send.merchantId, job.messageId, index)}`,
      (url) => url.startsWith(base),
    )
    if (rewritten.targets.length === 0) continue
    job.message = rewritten.message
    if (rewritten.template) job.template = rewritten.template
    if (rewritten.fallbackTemplate) job.fallbackTemplate = rewritten.fallbackTemplate
    rewritten.targets.forEach((target, index) => {
      links.push({
        merchant_id: send.merchantId,
        id: linkId(options.secret, send.merchantId, job.messageId, index),
        message_id: job.messageId,
        run_id: send.runId,
        target_url: target,
      })
    })
    rewrittenSends.push(send)
  }
  return { links, rewritten: rewrittenSends }
}

/** Inserts the links (once: a retried send finds its rows), each on its cart's open abandonment episode. */
export async function recordLinks(trx: Db, links: readonly LinkRow[], now: number): Promise<void> {
  if (links.length === 0) return
  const at = new Date(now)
  // The episode: the open one of the cart whose token keys the sending cart-recovery run.
  await sql`
    insert into message_links (merchant_id, id, message_id, episode_id, target_url, created_at)
    select l.merchant_id, l.id, l.message_id, e.id, l.target_url, ${at}
    from jsonb_to_recordset(${JSON.stringify(links)}::jsonb)
      as l(merchant_id uuid, id text, message_id uuid, run_id uuid, target_url text)
    left join runs r on r.merchant_id = l.merchant_id and r.id = l.run_id and r.trigger_kind = 'cart.abandoned'
    left join carts c on c.merchant_id = r.merchant_id and c.token = r.correlation_key
    left join cart_episodes e on e.merchant_id = c.merchant_id and e.cart_id = c.id and e.status = 'open'
    on conflict (merchant_id, id) do nothing`.execute(trx)
}

/**
 * Rewrites the links of claimed sends in place (their jobs), records the links and the rewritten transcript
 * body, in the claim's transaction. A few statements per batch, none when no message has a link.
 */
export async function applyLinkRedirects(
  trx: Db,
  options: LinkOptions & { now: number },
  sends: readonly LinkedSend[],
): Promise<void> {
  const { links, rewritten } = rewriteSendLinks(options, sends)
  if (links.length === 0) return
  await recordLinks(trx, links, options.now)
  const bodies = rewritten.map(({ merchantId, job }) => ({
    merchant_id: merchantId,
    id: job.messageId,
    body: JSON.stringify(messageBody(job.message, job.mode === 'template' ? job.template : undefined)),
  }))
  // The transcript shows what the shopper got.
  await sql`
    update messages set body = b.body::jsonb
    from jsonb_to_recordset(${JSON.stringify(bodies)}::jsonb) as b(merchant_id uuid, id uuid, body text)
    where messages.merchant_id = b.merchant_id and messages.id = b.id`.execute(trx)
}

/**
 * Counts a click on a link and returns where it goes; null for an unknown id. Nothing else happens: no message,
 * no consent change, so it is safe for a shopper who opted out.
 */
export async function recordLinkClick(db: Db, id: string, now: number): Promise<string | null> {
  const at = new Date(now)
  const link = await db
    .updateTable('message_links')
    .set((eb) => ({
      clicks: eb('clicks', '+', 1),
      first_clicked_at: eb.fn.coalesce('first_clicked_at', eb.val(at)),
      last_clicked_at: at,
    }))
    .where('id', '=', id)
    .returning('target_url')
    .executeTakeFirst()
  return link?.target_url ?? null
}
