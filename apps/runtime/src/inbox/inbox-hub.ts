// Live inbox updates to signed-in staff: one Realtime subscription per process fans out to the staff sockets
// of the event's merchant (conversation status changes and new or updated transcript rows). Staff see
// every message of their merchant, so there is no per-conversation filter, only the tenant one.
import type { RuntimeDeps } from '../deps.ts'
import type { RealtimeEvent } from '../realtime/realtime.ts'
import { findInboxConversation, toInboxMessage } from './inbox-queries.ts'
import type { InboxConversation, InboxMessage } from './inbox-schemas.ts'

export type InboxSocketEvent =
  | { type: 'conversation'; conversation: InboxConversation }
  | { type: 'message'; conversationId: string; message: InboxMessage }

export interface StaffSocket {
  send(data: string): void
  readonly readyState: number
}

const OPEN = 1

export class InboxHub {
  readonly #deps: Pick<RuntimeDeps, 'db' | 'realtime' | 'logger'>
  readonly #sockets = new Map<string, Set<StaffSocket>>()
  #unsubscribe: (() => void) | undefined

  constructor(deps: Pick<RuntimeDeps, 'db' | 'realtime' | 'logger'>) {
    this.#deps = deps
  }

  attach(merchantId: string, socket: StaffSocket): () => void {
    let set = this.#sockets.get(merchantId)
    if (!set) {
      set = new Set()
      this.#sockets.set(merchantId, set)
    }
    set.add(socket)
    this.#unsubscribe ??= this.#deps.realtime.subscribe((event) => {
      this.#handle(event).catch((error: unknown) =>
        this.#deps.logger.warn('inbox: could not deliver a realtime event', { error, event }),
      )
    })
    return () => {
      const current = this.#sockets.get(merchantId)
      current?.delete(socket)
      if (current?.size === 0) this.#sockets.delete(merchantId)
      if (this.#sockets.size === 0) {
        this.#unsubscribe?.()
        this.#unsubscribe = undefined
      }
    }
  }

  get socketCount(): number {
    let count = 0
    for (const set of this.#sockets.values()) count += set.size
    return count
  }

  async #handle(event: RealtimeEvent): Promise<void> {
    const targets = this.#sockets.get(event.merchantId)
    if (!targets || targets.size === 0) return
    const payload = await this.#load(event)
    if (!payload) return
    const data = JSON.stringify(payload)
    for (const socket of targets) {
      if (socket.readyState === OPEN) socket.send(data)
    }
  }

  async #load(event: RealtimeEvent): Promise<InboxSocketEvent | null> {
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

const hubs = new WeakMap<object, InboxHub>()

export function inboxHubFor(deps: Pick<RuntimeDeps, 'db' | 'realtime' | 'logger'>): InboxHub {
  let hub = hubs.get(deps)
  if (!hub) {
    hub = new InboxHub(deps)
    hubs.set(deps, hub)
  }
  return hub
}
