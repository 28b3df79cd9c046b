// Live inbox updates to signed-in staff: one Realtime subscription per process fans out to the staff sockets
// of the event's merchant (conversation status changes and new or updated transcript rows). Staff see
// every message of their merchant, so there is no per-conversation filter, only the tenant one.

import type { InboxConversation, InboxMessage, InboxTypingEvent } from '@parley/api'
import type { RuntimeDeps } from '../deps.ts'
import type { RealtimeEvent } from '../realtime/realtime.ts'
import { type LiveSocket, SocketRegistry } from '../realtime/socket-registry.ts'
import { isShopperTyping } from '../realtime/typing-signals.ts'
import { findInboxConversation, toInboxMessage } from './inbox-queries.ts'

export type InboxSocketEvent =
  | { type: 'conversation'; conversation: InboxConversation }
  | { type: 'message'; conversationId: string; message: InboxMessage }
  | InboxTypingEvent

export type StaffSocket = LiveSocket

export class InboxHub {
  readonly #deps: Pick<RuntimeDeps, 'db' | 'realtime' | 'logger'>
  /** Keyed by merchant id: staff see every conversation of their merchant. */
  readonly #registry: SocketRegistry<StaffSocket>

  constructor(deps: Pick<RuntimeDeps, 'db' | 'realtime' | 'logger'>) {
    this.#deps = deps
    this.#registry = new SocketRegistry(deps, 'inbox', (event) => this.#handle(event))
  }

  attach(merchantId: string, socket: StaffSocket): () => void {
    return this.#registry.attach(merchantId, socket)
  }

  get socketCount(): number {
    return this.#registry.socketCount
  }

  async #handle(event: RealtimeEvent): Promise<void> {
    const targets = this.#registry.socketsFor(event.merchantId)
    if (targets.size === 0) return
    const payload = await this.#load(event)
    if (payload) SocketRegistry.send(targets, payload)
  }

  async #load(event: RealtimeEvent): Promise<InboxSocketEvent | null> {
    // The shopper typing is news to staff; a colleague's typing is not sent (it would only be noise).
    if (event.kind === 'typing') {
      return isShopperTyping(event)
        ? { type: 'typing', conversationId: event.conversationId, who: 'shopper' }
        : null
    }
    if (event.kind === 'conversation') {
      const conversation = await findInboxConversation(this.#deps.db, event.merchantId, event.conversationId)
      return conversation ? { type: 'conversation', conversation } : null
    }
    const row = await this.#deps.db
      .selectFrom('messages')
      .selectAll()
      .where('merchant_id', '=', event.merchantId)
      .where('id', '=', event.id)
      .executeTakeFirst()
    return row ? { type: 'message', conversationId: row.conversation_id, message: toInboxMessage(row) } : null
  }
}
