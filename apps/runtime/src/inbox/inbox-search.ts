// Inbox search: one box finds a conversation by the shopper's name, email or phone, an order number, or words of a
// message. Each matcher is written exactly as the expression index it relies on (migration 202611300615_inbox):
// Postgres uses an expression index only for the identical expression.
import { type Expression, type SqlBool, sql } from 'kysely'

/** The contact's searchable text (name, email split at its punctuation, phone digits and their last ten). */
export const contactSearchVector = sql`to_tsvector('simple',
    coalesce(name, '') || ' ' || translate(coalesce(email, ''), '@._+-', '     ') || ' ' ||
    regexp_replace(coalesce(phone, ''), '\\D', '', 'g') || ' ' ||
    right(regexp_replace(coalesce(phone, ''), '\\D', '', 'g'), 10))`

export const messageSearchVector = sql`to_tsvector('simple', coalesce(body ->> 'text', ''))`

export interface ParsedSearch {
  /** A to_tsquery text: every word as a prefix, all required ("sam lee" → "sam:* & lee:*"). */
  tsquery: string | null
  /** Order numbers the search may mean ("1001" → "1001", "#1001"). */
  orderNumbers: string[]
}

/**
 * Turns what the agent typed into safe query parts: only letters and digits reach to_tsquery. A search made
 * only of digits and phone punctuation is one number (leading zeros dropped, so a national "07700 900123"
 * finds "+44 7700 900123").
 *
 * @example parseSearch('Sam Lee') // { tsquery: 'sam:* & lee:*', orderNumbers: [] }
 */
export function parseSearch(text: string): ParsedSearch {
  const trimmed = text.trim()
  if (/^[+\d\s().#-]+$/.test(trimmed) && /\d/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '')
    const number = digits.replace(/^0+(?=\d{6})/, '')
    const order = trimmed.replace(/\s/g, '')
    const orderNumbers = [...new Set([order, digits, `#${digits}`])]
    return { tsquery: `${number}:*`, orderNumbers }
  }
  const words = trimmed
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8)
  return { tsquery: words.length ? words.map((w) => `${w}:*`).join(' & ') : null, orderNumbers: [] }
}

/**
 * The condition on `c` (conversations) for a search: its contact matches, one of its messages matches, or the
 * contact has an order with that number. Null when the search has nothing to look for.
 */
export function searchCondition(merchantId: string, search: ParsedSearch): Expression<SqlBool> | null {
  if (!search.tsquery && search.orderNumbers.length === 0) return null
  const parts = []
  if (search.tsquery) {
    const query = sql`to_tsquery('simple', ${search.tsquery})`
    parts.push(sql`c.contact_id in (select id from contacts
      where merchant_id = ${merchantId} and ${contactSearchVector} @@ ${query})`)
    parts.push(sql`c.id in (select conversation_id from messages
      where merchant_id = ${merchantId} and ${messageSearchVector} @@ ${query})`)
  }
  if (search.orderNumbers.length > 0) {
    parts.push(sql`c.contact_id in (select contact_id from orders
      where merchant_id = ${merchantId} and number in (${sql.join(search.orderNumbers)}))`)
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`
}
