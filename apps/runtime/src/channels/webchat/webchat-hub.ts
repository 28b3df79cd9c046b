// Live transcript events to visitors' sockets. One Realtime subscription per process fans out to the sockets
// this replica holds; a conversation's owner (channel + visitor id) is looked up once and cached, so an
// event costs one query to resolve plus one to load the row, not one per socket.
import type { VisitorSocketEvent } from '@parley/api'
import type { RuntimeDeps } from '../../deps.ts'
import { loadStaffIdentity } from '../../inbox/staff-identity.ts'
import type { RealtimeEvent } from '../../realtime/realtime.ts'
import { type LiveSocket, SocketRegistry } from '../../realtime/socket-registry.ts'
import { staffTypingUserId } from '../../realtime/typing-signals.ts'
import { isVisibleToVisitor, selectMessagesWithAuthor, toVisitorMessageWithAuthor } from './transcript.ts'

/** The part of a socket the hub needs (hono's WSContext fits). */
export type VisitorSocket = LiveSocket

const OWNER_CACHE_LIMIT = 10_000

export class WebchatHub {
  readonly #deps: Pick<RuntimeDeps, 'db' | 'realtime' | 'logger'>
  readonly #registry: SocketRegistry<VisitorSocket>
  /** conversation key → the visitor keys that own it ([] = not a web-chat conversation). Owners never change. */
  readonly #owners = new Map<string, string[]>()

  constructor(deps: Pick<RuntimeDeps, 'db' | 'realtime' | 'logger'>) {
    this.#deps = deps
    this.#registry = new SocketRegistry(deps, 'webchat', (event) => this.#handle(event))
  }

  /** Starts delivering this visitor's events to the socket; returns the detach function. */
  attach(visitor: { merchantId: string; channelId: string; visitorId: string }, socket: VisitorSocket) {
    return this.#registry.attach(visitorKey(visitor.merchantId, visitor.channelId, visitor.visitorId), socket)
  }

  /** Number of attached sockets (metrics, tests). */
  get socketCount(): number {
    return this.#registry.socketCount
  }

  async #handle(event: RealtimeEvent): Promise<void> {
    if (this.#registry.isEmpty) return
    const owners = await this.#ownersOf(event.merchantId, event.conversationId)
    const targets = owners.flatMap((key) => [...this.#registry.socketsFor(key)])
    if (targets.length === 0) return
    const payload = await this.#load(event)
    if (payload) SocketRegistry.send(targets, payload)
  }

  async #load(event: RealtimeEvent): Promise<VisitorSocketEvent | null> {
    const { db } = this.#deps
    if (event.kind === 'typing') {
      // Only a person on the store's side typing is news to the shopper (their own typing goes to the inbox).
      const userId = staffTypingUserId(event)
      if (userId === null) return null
      return { type: 'typing', staff: await loadStaffIdentity(db, event.merchantId, userId) }
    }
    if (event.kind === 'message') {
      const message = await selectMessagesWithAuthor(db)
        .where('messages.merchant_id', '=', event.merchantId)
        .where('messages.id', '=', event.id)
        .where('messages.conversation_id', '=', event.conversationId)
        .executeTakeFirst()
      if (!message || !isVisibleToVisitor(message)) return null
      return { type: 'message', message: toVisitorMessageWithAuthor(message) }
    }
    const conversation = await db
      .selectFrom('conversations')
      .select(['id', 'status'])
      .where('merchant_id', '=', event.merchantId)
      .where('id', '=', event.conversationId)
      .executeTakeFirst()
    if (!conversation) return null
    return { type: 'conversation', conversationId: conversation.id, status: conversation.status }
  }

  async #ownersOf(merchantId: string, conversationId: string): Promise<string[]> {
    const cacheKey = `${merchantId}:${conversationId}`
    const cached = this.#owners.get(cacheKey)
    if (cached) return cached
    const rows = await this.#deps.db
      .selectFrom('conversations as c')
      .innerJoin('channels as ch', (join) =>
        join.onRef('ch.merchant_id', '=', 'c.merchant_id').onRef('ch.id', '=', 'c.channel_id'),
      )
      .leftJoin('contact_identities as ci', (join) =>
        join
          .onRef('ci.merchant_id', '=', 'c.merchant_id')
          .onRef('ci.contact_id', '=', 'c.contact_id')
          .onRef('ci.channel_id', '=', 'c.channel_id'),
      )
      .select(['c.channel_id', 'ch.kind', 'ci.external_id'])
      .where('c.merchant_id', '=', merchantId)
      .where('c.id', '=', conversationId)
      .execute()
    const owners = rows.flatMap((row) =>
      row.kind === 'webchat' && row.external_id
        ? [visitorKey(merchantId, row.channel_id, row.external_id)]
        : [],
    )
    // A conversation not found (yet) is not cached; one found on another channel is cached as "no visitor".
    if (rows.length > 0 && (owners.length > 0 || rows[0]?.kind !== 'webchat')) {
      if (this.#owners.size >= OWNER_CACHE_LIMIT) {
        const oldest = this.#owners.keys().next().value
        if (oldest !== undefined) this.#owners.delete(oldest)
      }
      this.#owners.set(cacheKey, owners)
    }
    return owners
  }
}

function visitorKey(merchantId: string, channelId: string, visitorId: string): string {
  return `${merchantId}:${channelId}:${visitorId}`
}
