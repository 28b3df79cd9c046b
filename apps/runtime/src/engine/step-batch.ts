// The runtime's event step, the one implementation (DESIGN.md "The runtime's event step"): inbound messages,
// timer firings, store events and staff actions step their locked runs through a StepBatch. Each run is
// stepped in memory with the pure stepper; its effects go through packages/flow's `effectHandlers` with this
// file's port, which plans every row into the batch's write set (`StepWrites`) and answers look-ups from our
// own data at once; `flush` writes the whole set with one statement. A single event is a batch of one.
import type { NewMessage, NewTimer, Run } from '@parley/db'
import {
  type EffectPort,
  type EscalateEffect,
  type FlowEventInput,
  type PersistedFlowSnapshot,
  performEffects,
  type StepResult,
  snapshotVars,
} from '@parley/flow'
import { catalogueCard } from '../catalogue/product-cards.ts'
import { deliversInStep, InStepDeliveries } from '../delivery/in-step-delivery.ts'
import type { RuntimeDeps } from '../deps.ts'
import { escalationRows } from '../effects/escalate.ts'
import { httpJobRow } from '../effects/http-request.ts'
import { lookupOrder } from '../effects/order-lookup.ts'
import {
  decideAndCharge,
  recordSendRows,
  runSendRequest,
  type SendOutcome,
  type SendRequest,
  type SendRows,
  sendRows,
} from '../effects/send.ts'
import { acknowledgementText } from '../handoff/acknowledgement.ts'
import { queueSettings } from '../handoff/escalation-queues.ts'
import { unclaimedTimer } from '../handoff/unclaimed-timeout.ts'
import { answerProductQuestionInStep } from '../llm/product-answer-in-step.ts'
import { countMarketingSendsByContact } from '../policy/frequency-cap.ts'
import { buildSendFacts, loadSendTargets, readSendsWaiting, type SendTarget } from '../policy/send-facts.ts'
import { loadFlowVersion } from './flow-versions.ts'
import {
  countStep,
  type Db,
  inStepTransaction,
  type StepContext,
  unpublishedEvents,
} from './step-transaction.ts'
import { StepWrites, type TimerState } from './step-writes.ts'

/** Effect results chained within one step before we stop (a flow looping on look-ups). */
const MAX_CHAINED_STEPS = 25

export interface StepOptions {
  /** Metrics label: 'event', 'timer'. */
  trigger: string
  /** The time the machine sees. Timers pass their due time, so a late firing keeps the sequence exact. */
  machineNow?: number
}

export class StepBatch {
  readonly writes = new StepWrites()
  /** Send targets by conversation id, as stored when read; null when the conversation does not exist. */
  readonly #targets = new Map<string, SendTarget | null>()
  /** Marketing sends per contact in the cap window, counting the ones this batch queued. */
  readonly #marketingSent = new Map<string, number>()
  /** Conversations the shopper wrote in during this batch: their sends see the WhatsApp window open. */
  readonly #inbound = new Set<string>()
  readonly #escalated = new Set<string>()
  /** Contacts one of whose conversations this batch escalated: their marketing is held from now on. */
  readonly #escalatedContacts = new Set<string>()
  /** Conversations this batch gave back to the bot (nobody claimed the escalation). */
  readonly #returnedToBot = new Set<string>()
  readonly #contactPatches = new Map<string, Partial<SendTarget['contact']>>()
  /** Work that must see this batch's rows written (e.g. releasing held sends behind the ones just queued). */
  readonly #afterFlush: (() => Promise<unknown>)[] = []
  /** Conversations this batch queued a send in (outbox): their later sends queue behind it, in order. */
  readonly #queuedSends = new Set<string>()
  /** Cart-recovery runs stepped in this batch: their delivered sends count on the cart's episode. */
  readonly #recoveryRuns = new Map<string, Run>()
  readonly #deliveries: InStepDeliveries
  /**
   * Sends that may be delivered in the step, planned queued until `flush` re-checks, under the conversations'
   * locks, that no earlier send of theirs waits in the outbox (policy/send-facts.ts `sendsWaitingIn`).
   */
  readonly #deliverable: { target: SendTarget; rows: SendRows; run: Run | null }[] = []

  constructor(
    readonly trx: Db,
    readonly ctx: StepContext,
  ) {
    this.#deliveries = new InStepDeliveries(ctx.deps)
  }

  /**
   * Steps a locked, active run with an event, then any answers its effects produced. Returns the run as it
   * will be stored.
   */
  async step(run: Run, event: FlowEventInput, options: StepOptions): Promise<Run> {
    this.#noteRun(run)
    let current = run
    const pending: FlowEventInput[] = [event]
    const machineNow = options.machineNow ?? this.ctx.now
    for (let i = 0; i < MAX_CHAINED_STEPS && pending.length > 0 && current.status === 'active'; i++) {
      const next = pending.shift() as FlowEventInput
      const version = await loadFlowVersion(
        this.trx,
        this.ctx.deps.flowVersions,
        current.merchant_id,
        current.flow_version_id,
      )
      const result: StepResult = version.stepper.step(current.snapshot as PersistedFlowSnapshot, next, {
        now: machineNow,
      })
      current = this.writes.saveRunStep(current, version, result, this.ctx.now)
      countStep(this.ctx, i === 0 ? options.trigger : 'effect')
      pending.push(...(await this.#perform(current, result)))
    }
    if (pending.length > 0 && current.status === 'active') {
      current = this.writes.failRun(current, 'Too many effect results chained in one step', this.ctx.now)
    }
    return current
  }

  /** A run just inserted with its first step's result: its timers, visits and effects, then their answers. */
  async started(run: Run, result: StepResult, machineNow: number): Promise<Run> {
    countStep(this.ctx, 'start')
    this.#noteRun(run)
    this.writes.recordStep(run, result, this.ctx.now)
    let current = run
    for (const answer of await this.#perform(run, result)) {
      if (current.status !== 'active') break
      current = await this.step(current, answer, { trigger: 'effect', machineNow })
    }
    return current
  }

  #noteRun(run: Run): void {
    if (run.trigger_kind === 'cart.abandoned') this.#recoveryRuns.set(run.id, run)
  }

  /** Ends a run that cannot go on. */
  fail(run: Run, error: string): Run {
    return this.writes.failRun(run, error, this.ctx.now)
  }

  deleteTimer(merchantId: string, runId: string, timerId: string): void {
    this.writes.deleteTimer(merchantId, runId, timerId)
  }

  /** Sets (or moves) a timer of a run in this batch's write set. */
  setTimer(timer: NewTimer): void {
    this.writes.setTimer(timer)
  }

  timerState(runId: string, timerId: string): TimerState | undefined {
    return this.writes.timerState(runId, timerId)
  }

  /** A transcript row that is not a send (the shopper's message), published after commit. */
  addMessage(message: NewMessage & { id: string }): void {
    this.writes.addMessage(message)
    this.ctx.notifications.push({
      merchantId: message.merchant_id,
      conversationId: message.conversation_id,
      kind: 'message',
      id: message.id,
    })
  }

  /** The shopper wrote in the conversation: the window opens, and a resolved conversation goes back to the bot. */
  noteInbound(conversation: { merchant_id: string; id: string; status: string }): void {
    this.#inbound.add(conversation.id)
    const now = new Date(this.ctx.now)
    this.writes.touchConversation({
      merchant_id: conversation.merchant_id,
      id: conversation.id,
      last_inbound_at: now,
      last_message_at: now,
      updated_at: now,
      reopen: conversation.status === 'resolved',
      escalation: null,
    })
  }

  /** The conversation went back to the bot in this transaction (nobody claimed it): later sends see it so. */
  returnToBot(conversationId: string): void {
    this.#returnedToBot.add(conversationId)
  }

  /** The contact row changed in this transaction (opt-out, opt-in): sends decided later see it. */
  patchContact(contactId: string, patch: Partial<SendTarget['contact']>): void {
    this.#contactPatches.set(contactId, { ...this.#contactPatches.get(contactId), ...patch })
  }

  /** Send targets built from rows the caller read already (the inbound batch's facts): no read of their own. */
  seedTargets(targets: readonly SendTarget[]): void {
    for (const target of targets)
      if (!this.#targets.has(target.conversation.id)) this.#targets.set(target.conversation.id, target)
  }

  /** Reads the send targets of many conversations of one merchant at once (what later sends would read one by one). */
  async prefetchTargets(merchantId: string, conversationIds: readonly string[]): Promise<void> {
    const missing = [...new Set(conversationIds)].filter((id) => !this.#targets.has(id))
    if (missing.length === 0) return
    const targets = await loadSendTargets(this.trx, merchantId, missing)
    for (const id of missing) this.#targets.set(id, targets.get(id) ?? null)
  }

  /** The contacts' marketing sends in the cap window, read at once for many contacts. */
  async prefetchMarketingSent(merchantId: string, windowStart: number, contactIds: string[]): Promise<void> {
    const missing = [...new Set(contactIds)].filter((id) => !this.#marketingSent.has(id))
    if (missing.length === 0) return
    const counts = await countMarketingSendsByContact(this.trx, merchantId, missing, windowStart)
    for (const id of missing) this.#marketingSent.set(id, counts.get(id) ?? 0)
  }

  /** Where a message to this conversation goes, as this batch has changed it; null when there is none. */
  async target(merchantId: string, conversationId: string): Promise<SendTarget | null> {
    await this.prefetchTargets(merchantId, [conversationId])
    const stored = this.#targets.get(conversationId)
    if (!stored) return null
    let { conversation, contact } = stored
    if (this.#inbound.has(conversation.id)) {
      conversation = {
        ...conversation,
        last_inbound_at: new Date(this.ctx.now),
        status: conversation.status === 'resolved' ? 'bot' : conversation.status,
      }
    }
    if (this.#escalated.has(conversation.id)) {
      conversation = { ...conversation, status: conversation.status === 'assigned' ? 'assigned' : 'waiting' }
    }
    let { contactWithStaff } = stored
    if (this.#returnedToBot.has(conversation.id)) {
      conversation = { ...conversation, status: 'bot' }
      contactWithStaff = false
    }
    if (this.#escalatedContacts.has(contact.id)) contactWithStaff = true
    const patch = this.#contactPatches.get(contact.id)
    if (patch) contact = { ...contact, ...patch }
    return { ...stored, conversation, contact, contactWithStaff }
  }

  /**
   * Applies policy to a send and plans its rows: the transcript row (queued, or skipped with the reason) and,
   * when queued, the outbox row the relay sends after commit — or, when it may leave now on a channel that
   * delivers in the step, the row written delivered (delivery/in-step-delivery.ts).
   */
  async send(request: SendRequest): Promise<SendOutcome> {
    const target = await this.target(request.merchantId, request.conversationId)
    if (!target) return { status: 'skipped', messageId: null, reason: 'no_channel' }
    const req = await this.#withCatalogueCard(request)
    const now = this.ctx.now
    const windowStart = now - target.merchant.frequency_cap_window_minutes * 60_000
    if (req.purpose === 'marketing') {
      await this.prefetchMarketingSent(req.merchantId, windowStart, [target.contact.id])
    }
    const sentInWindow = this.#marketingSent.get(target.contact.id) ?? 0
    const facts = buildSendFacts(
      target,
      { purpose: req.purpose, exemption: req.exemption, hasTemplate: req.template !== undefined, now },
      req.purpose === 'marketing' ? sentInWindow : 0,
    )
    const { decision, cost } = await decideAndCharge(this.trx, target, req, facts, now)
    const rows = sendRows(target, req, decision, cost, now)
    const queuedEarlier = this.#queuedSends.has(req.conversationId)
    // Queued for now; `flush` delivers it when nothing of the conversation waits by then.
    if (deliversInStep(this.ctx.deps, target, rows, { now, queuedEarlier })) {
      const run = req.runId ? (this.#recoveryRuns.get(req.runId) ?? null) : null
      this.#deliverable.push({ target, rows, run })
    } else if (rows.outbox) this.#queuedSends.add(req.conversationId)
    this.writes.addMessage(rows.message)
    if (rows.outbox) this.writes.addOutbox(rows.outbox)
    // What `countMarketingSendsSince` counts once the row is written.
    if (rows.message.is_marketing && rows.job && (req.author ?? 'bot') === 'bot') {
      this.#marketingSent.set(target.contact.id, sentInWindow + 1)
    }
    return recordSendRows(this.ctx, req, rows)
  }

  /** The one place a message's product cards take the catalogue's image, price and link (catalogue/product-cards.ts). */
  async #withCatalogueCard(req: SendRequest): Promise<SendRequest> {
    const { product, products } = req.message
    if (!product?.productId && !products?.some((card) => card.productId)) return req
    const message = { ...req.message }
    if (product) message.product = await catalogueCard(this.trx, req.merchantId, product)
    if (products) {
      const cards = []
      for (const card of products) cards.push(await catalogueCard(this.trx, req.merchantId, card))
      message.products = cards
    }
    return { ...req, message }
  }

  /**
   * The handoff's rules at the moment of escalation (handoff/): the shopper is told at once, in the queue's words,
   * when a person will reply; and unless someone already has the chat, the queue's unclaimed timeout is armed.
   */
  async #acknowledgeEscalation(
    run: Run,
    conversationId: string,
    effect: EscalateEffect,
    alreadyWithSomeone: boolean,
  ): Promise<void> {
    const target = await this.target(run.merchant_id, conversationId)
    if (!target) return
    const queue = await queueSettings(this.trx, run.merchant_id, effect.queue)
    await this.send({
      merchantId: run.merchant_id,
      conversationId,
      runId: run.id,
      nodeId: effect.nodeId,
      message: { text: acknowledgementText(queue, target.merchant, this.ctx.now) },
      purpose: 'service',
      exemption: 'handoff',
    })
    if (!alreadyWithSomeone) {
      this.writes.setTimer(unclaimedTimer(run, this.ctx.now + queue.unclaimedTimeoutMinutes * 60_000))
    }
  }

  /** Runs `work` in this transaction once the batch's write set is written. */
  afterFlush(work: () => Promise<unknown>): void {
    this.#afterFlush.push(work)
  }

  /** Writes the batch's write set with one statement, then what waited for it. */
  async flush(): Promise<void> {
    await this.#deliverInStep()
    // The realtime events made so far ride the write as NOTIFYs, heard on commit: no statement of their own after
    // it (one round trip a batch, issue 9). What comes after the write is still published after the commit.
    const made = this.ctx.notifications.length
    const events = unpublishedEvents(this.ctx)
    const realtimeNotices = events.length > 0 ? this.ctx.deps.realtime.commitNotices(events) : null
    const written = await this.writes.flush(this.trx, {
      outboxNotice: this.ctx.deps.relayWake?.commitNotice,
      realtimeNotices,
    })
    if (written && realtimeNotices) this.ctx.notificationsCarried = made
    await this.#deliveries.write(this.trx, this.ctx.now)
    for (const work of this.#afterFlush.splice(0)) await work()
  }

  /**
   * The in-step deliveries' decision, taken under the conversations' locks: `sendsWaiting` was read before
   * them, and a concurrent step may since have queued a send that must go first. Two statements, and only in
   * a batch with a deliverable send: the locks (all `flush` takes, in id order, so the lock order is the same),
   * then the re-read, whose new snapshot sees what the lock waited for.
   */
  async #deliverInStep(): Promise<void> {
    const deliverable = this.#deliverable.splice(0)
    if (deliverable.length === 0) return
    const keys = deliverable.map(({ rows }) => ({
      merchant_id: rows.message.merchant_id,
      id: rows.message.conversation_id,
    }))
    await this.writes.lockConversations(this.trx, keys)
    const waiting = await readSendsWaiting(this.trx, keys)
    const now = this.ctx.now
    for (const { target, rows, run } of deliverable) {
      const { merchant_id, conversation_id } = rows.message
      // Stays queued: the relay's head-of-line rule sends it after the older one.
      if (waiting.has(conversation_id) || !rows.outbox) continue
      this.writes.dropOutbox(rows.outbox)
      this.ctx.queued -= 1
      this.#deliveries.deliver(target, rows, run, now)
      // What the relay records for a send it made: the conversation moves up the inbox.
      this.writes.touchConversation({
        merchant_id,
        id: conversation_id,
        last_inbound_at: null,
        last_message_at: new Date(now),
        updated_at: new Date(now),
        reopen: false,
        escalation: null,
      })
      const kind = target.channel.kind
      this.ctx.deliveredInStep.set(kind, (this.ctx.deliveredInStep.get(kind) ?? 0) + 1)
    }
  }

  #perform(run: Run, result: StepResult): Promise<FlowEventInput[]> {
    return Promise.resolve(performEffects(result.effects, this.#port(run), snapshotVars(result.snapshot)))
  }

  /**
   * The runtime's side of `effectHandlers` for one run. Methods, not arrow functions: a port is built per step, and
   * the runtime runs under tsx, whose `keepNames` wraps each arrow function in a `__name` call (a defineProperty)
   * every time the object is built.
   */
  #port(run: Run): EffectPort {
    const batch = this
    const { ctx } = this
    const conversationId = run.conversation_id
    return {
      async send(effect, exemption) {
        if (!conversationId) {
          ctx.deps.logger.warn('send without a conversation', { runId: run.id, nodeId: effect.nodeId })
          return
        }
        await batch.send(runSendRequest(run, conversationId, effect, exemption))
      },
      async escalate(effect) {
        const target = conversationId ? await batch.target(run.merchant_id, conversationId) : null
        if (!conversationId || !target) {
          ctx.deps.logger.warn('escalation without a conversation', { runId: run.id })
          return
        }
        const { touch, note } = escalationRows(run, conversationId, effect, ctx.now)
        const alreadyWithSomeone = target.conversation.status === 'assigned'
        batch.#escalated.add(conversationId)
        batch.#escalatedContacts.add(target.contact.id)
        batch.#returnedToBot.delete(conversationId)
        batch.writes.touchConversation(touch)
        ctx.notifications.push({
          merchantId: run.merchant_id,
          conversationId,
          kind: 'conversation',
          id: conversationId,
        })
        batch.addMessage(note)
        await batch.#acknowledgeEscalation(run, conversationId, effect, alreadyWithSomeone)
      },
      lookupOrder(effect) {
        return lookupOrder(batch.trx, run.merchant_id, run.contact_id, effect.orderNumber, ctx.now)
      },
      // With AI answers on, the answer may be queued (llm/); the catalogue answer is its fallback.
      answerProductQuestion(effect, productIds) {
        return answerProductQuestionInStep(batch, run, effect, productIds)
      },
      async requestHttp(effect) {
        const target = conversationId ? await batch.target(run.merchant_id, conversationId) : null
        if (!target) return { ok: false, data: { error: 'no_channel' } }
        batch.writes.addOutbox(httpJobRow(run, target.conversation, effect, ctx.now))
        ctx.queued += 1
        ctx.queuedHttp += 1
        return 'queued'
      },
      offerIncentive(effect) {
        // The code and discount are in the run's `incentive` variable; the send that follows carries them.
        ctx.deps.logger.info('incentive offered', { runId: run.id, nodeId: effect.nodeId, code: effect.code })
      },
    }
  }
}

/**
 * One step transaction around a batch: `fn` plans, the write set is flushed before the commit, and
 * notifications are published after it. Deadlocks are retried from the start.
 * @example await inStepBatch(deps, (batch) => stepRuns(batch, merchantId, runIds, event))
 */
export function inStepBatch<T>(deps: RuntimeDeps, fn: (batch: StepBatch) => Promise<T>): Promise<T> {
  return inStepTransaction(deps, async (trx, ctx) => {
    const batch = new StepBatch(trx, ctx)
    const result = await fn(batch)
    await batch.flush()
    return result
  })
}
