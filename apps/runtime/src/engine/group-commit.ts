// Group commit: work items submitted concurrently (inbound messages from many shoppers) are gathered into
// batches, each processed in one transaction. A lone item starts at once, so a quiet system adds no latency;
// under load the items that arrived while a batch ran form the next one (a further batch in flight starts only
// with `minExtraBatch` items). Items with the same key (one shopper)
// never share a batch or overtake each other. A batch that fails is retried item by item, so one bad item
// fails alone. An optional screen answers some items of a batch without processing them (rate limits), once.

export interface GroupCommitOptions<I, O> {
  /** Items with the same key are processed one batch after another, in submission order. */
  keyOf: (item: I) => string
  /** Processes a batch; returns one result per item, in order. */
  process: (items: I[]) => Promise<O[]>
  maxBatch: number
  /** Batches processed at the same time (each holds a database connection). */
  maxInFlight: number
  /**
   * Items a batch beyond the first in flight needs to start (default 1: any). Fewer wait for a running batch to
   * end and go with what gathered meanwhile: a free second slot no longer takes each message as it arrives, a
   * batch of one paying a whole batch's statements, while a backlog still gets a second connection.
   */
  minExtraBatch?: number
  /**
   * Form batches at the end of the event loop's current I/O phase (`setImmediate`), not on each submit. Requests
   * read from the network together reach `submit` one after another within that phase, each after its own awaits;
   * started on the first, a batch holds that one item and the others wait for its whole round trip. A lone item
   * still starts in the same loop turn, before any timer.
   */
  gatherInPhase?: boolean
  /**
   * Runs once per batch, before `process`: per item an answer that settles it without processing (a refusal),
   * or undefined to process it. It is not run again when a failed batch is retried item by item, so what it
   * counts (rate limits) is counted once per item however often `process` runs. It throwing rejects the batch.
   */
  screen?: (items: I[]) => Promise<(O | undefined)[]>
}

interface Pending<I, O> {
  item: I
  key: string
  resolve: (value: O) => void
  reject: (error: unknown) => void
}

export class GroupCommit<I, O> {
  readonly #options: GroupCommitOptions<I, O>
  #queue: Pending<I, O>[] = []
  readonly #busyKeys = new Set<string>()
  #inFlight = 0
  #pumpScheduled = false

  constructor(options: GroupCommitOptions<I, O>) {
    this.#options = options
  }

  /** Resolves with the item's result once its batch committed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, key: this.#options.keyOf(item), resolve, reject })
      this.#schedulePump()
    })
  }

  /** Items waiting for a batch (for metrics and tests). */
  get queued(): number {
    return this.#queue.length
  }

  #schedulePump(): void {
    if (!this.#options.gatherInPhase) {
      this.#pump()
      return
    }
    if (this.#pumpScheduled) return
    this.#pumpScheduled = true
    setImmediate(() => {
      this.#pumpScheduled = false
      this.#pump()
    })
  }

  #pump(): void {
    const minExtra = this.#options.minExtraBatch ?? 1
    while (this.#inFlight < this.#options.maxInFlight && this.#queue.length > 0) {
      if (this.#inFlight > 0 && this.#queue.length < minExtra) return
      const queue = this.#queue
      const batch = this.#takeBatch()
      if (batch.length === 0) return
      if (this.#inFlight > 0 && batch.length < minExtra) {
        // Some of the waiting items' shoppers are in a running batch: not enough for another one yet.
        this.#queue = queue
        return
      }
      this.#inFlight += 1
      for (const p of batch) this.#busyKeys.add(p.key)
      void this.#run(batch).finally(() => {
        for (const p of batch) this.#busyKeys.delete(p.key)
        this.#inFlight -= 1
        this.#schedulePump()
      })
    }
  }

  /** The oldest items whose keys are free, one per key, up to maxBatch; the rest keep their order. */
  #takeBatch(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = []
    const rest: Pending<I, O>[] = []
    const keys = new Set<string>()
    for (const p of this.#queue) {
      if (batch.length < this.#options.maxBatch && !keys.has(p.key) && !this.#busyKeys.has(p.key))
        batch.push(p)
      else rest.push(p)
      keys.add(p.key)
    }
    this.#queue = rest
    return batch
  }

  async #run(gathered: Pending<I, O>[]): Promise<void> {
    // Without a screen the batch goes to `process` in this same turn (no tick).
    const batch = this.#options.screen ? await this.#screen(gathered, this.#options.screen) : gathered
    if (batch.length === 0) return
    try {
      const results = await this.#options.process(batch.map((p) => p.item))
      for (const [i, p] of batch.entries()) p.resolve(results[i] as O)
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error)
        return
      }
      for (const p of batch) {
        try {
          const [result] = await this.#options.process([p.item])
          p.resolve(result as O)
        } catch (itemError) {
          p.reject(itemError)
        }
      }
    }
  }

  /** The items the screen lets through, in order; the ones it answers are settled with its answer. */
  async #screen(
    batch: Pending<I, O>[],
    screen: NonNullable<GroupCommitOptions<I, O>['screen']>,
  ): Promise<Pending<I, O>[]> {
    let answers: (O | undefined)[]
    try {
      answers = await screen(batch.map((p) => p.item))
    } catch (error) {
      for (const p of batch) p.reject(error)
      return []
    }
    return batch.filter((p, i) => {
      const answer = answers[i]
      if (answer === undefined) return true
      p.resolve(answer)
      return false
    })
  }
}
