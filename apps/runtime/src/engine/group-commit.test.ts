// GroupCommit with a fake `process` whose batches the test releases by hand: batch sizes, batches in flight,
// one key per batch in submission order, no waiting when alone, a failing batch retried item by item, a screen
// that settles some items without processing them, once per batch.
import { describe, expect, it } from 'vitest'
import { GroupCommit, type GroupCommitOptions } from './group-commit.ts'

interface Item {
  key: string
  value: number
}

/** A process function that records each batch and holds it until released (or failed). */
function heldProcess(options: { failWhen?: (items: Item[]) => boolean } = {}) {
  const batches: Item[][] = []
  const held: { items: Item[]; release: () => void; fail: (error: unknown) => void }[] = []
  let inFlight = 0
  let maxSeenInFlight = 0
  const process = (items: Item[]) => {
    batches.push(items)
    inFlight += 1
    maxSeenInFlight = Math.max(maxSeenInFlight, inFlight)
    return new Promise<string[]>((resolve, reject) => {
      held.push({
        items,
        release: () => {
          inFlight -= 1
          if (options.failWhen?.(items)) reject(new Error(`bad batch ${items.map((i) => i.value).join(',')}`))
          else resolve(items.map((i) => `${i.key}#${i.value}`))
        },
        fail: (error) => {
          inFlight -= 1
          reject(error)
        },
      })
    })
  }
  /** Releases every held batch, oldest first, until none is left. */
  const drain = async () => {
    for (;;) {
      await flushMicrotasks()
      const next = held.shift()
      if (!next) return
      next.release()
    }
  }
  return { process, batches, held, drain, maxInFlight: () => maxSeenInFlight }
}

async function flushMicrotasks() {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

const item = (key: string, value: number): Item => ({ key, value })

/** A GroupCommit on a held process (keyed by `key`, 10 to a batch, one in flight unless `options` say otherwise). */
function heldGroupCommit(
  options: Partial<GroupCommitOptions<Item, string>> = {},
  processOptions: Parameters<typeof heldProcess>[0] = {},
) {
  const p = heldProcess(processOptions)
  const gc = new GroupCommit<Item, string>({
    keyOf: (i) => i.key,
    process: p.process,
    maxBatch: 10,
    maxInFlight: 1,
    ...options,
  })
  /** Each batch's values and sizes, in the order the batches started. */
  const values = () => p.batches.map((b) => b.map((i) => i.value))
  const sizes = () => p.batches.map((b) => b.length)
  return { p, gc, values, sizes }
}

describe('GroupCommit', () => {
  it('starts a lone submit at once, without waiting for more', async () => {
    const { p, gc } = heldGroupCommit({ maxInFlight: 2 })
    const result = gc.submit(item('a', 1))
    // Synchronously handed to process: no timer, no tick.
    expect(p.batches).toEqual([[item('a', 1)]])
    expect(gc.queued).toBe(0)
    p.held.shift()?.release()
    await expect(result).resolves.toBe('a#1')
  })

  it('batches what arrives while batches are in flight, never more than maxBatch, never more than maxInFlight at once', async () => {
    const { p, gc, sizes } = heldGroupCommit({ maxBatch: 4, maxInFlight: 2 })
    const results = Array.from({ length: 23 }, (_, n) => gc.submit(item(`k${n}`, n)))
    // The first two go alone (each free slot takes what is queued at that moment); the rest wait.
    expect(sizes()).toEqual([1, 1])
    expect(gc.queued).toBe(21)
    await p.drain()
    expect(await Promise.all(results)).toEqual(Array.from({ length: 23 }, (_, n) => `k${n}#${n}`))
    expect(p.maxInFlight()).toBe(2)
    expect(p.batches.every((b) => b.length <= 4)).toBe(true)
    expect(sizes()).toEqual([1, 1, 4, 4, 4, 4, 4, 1])
    // Every item processed exactly once, in submission order across batches.
    expect(p.batches.flat().map((i) => i.value)).toEqual(Array.from({ length: 23 }, (_, n) => n))
    expect(gc.queued).toBe(0)
  })

  it('starts a further batch in flight only with minExtraBatch items; fewer join the next batch', async () => {
    const { p, gc, sizes } = heldGroupCommit({ maxInFlight: 2, minExtraBatch: 3 })
    const results = [gc.submit(item('k0', 0))]
    // Alone on an idle batcher: at once.
    expect(sizes()).toEqual([1])
    results.push(gc.submit(item('k1', 1)), gc.submit(item('k2', 2)))
    // A slot is free, but two waiting items are not enough for a second batch.
    expect(sizes()).toEqual([1])
    expect(gc.queued).toBe(2)
    results.push(gc.submit(item('k3', 3)))
    // The third makes one.
    expect(sizes()).toEqual([1, 3])
    results.push(gc.submit(item('k4', 4)), gc.submit(item('k0', 5)))
    // Both slots busy. The first batch ends, but the other still runs: k4 and k0's second message (two) wait.
    p.held.shift()?.release()
    await flushMicrotasks()
    expect(sizes()).toEqual([1, 3])
    expect(gc.queued).toBe(2)
    // The second batch ends: nothing in flight, so what waits starts at once, however few.
    p.held.shift()?.release()
    await flushMicrotasks()
    expect(sizes()).toEqual([1, 3, 2])
    await p.drain()
    expect(await Promise.all(results)).toEqual(['k0#0', 'k1#1', 'k2#2', 'k3#3', 'k4#4', 'k0#5'])
  })

  it('counts only the items a further batch could take: a waiting item whose key is in flight does not count', async () => {
    const { p, gc, values, sizes } = heldGroupCommit({ maxInFlight: 2, minExtraBatch: 2 })
    const results = [gc.submit(item('a', 1)), gc.submit(item('a', 2)), gc.submit(item('b', 3))]
    // Two wait, but 'a' is in flight: only 'b' could go, so no second batch.
    expect(sizes()).toEqual([1])
    expect(gc.queued).toBe(2)
    await p.drain()
    expect(await Promise.all(results)).toEqual(['a#1', 'a#2', 'b#3'])
    expect(values()).toEqual([[1], [2, 3]])
  })

  it('respects maxInFlight 1: one batch at a time', async () => {
    const { p, gc, sizes } = heldGroupCommit({ maxBatch: 100 })
    const results = Array.from({ length: 10 }, (_, n) => gc.submit(item(`k${n}`, n)))
    expect(p.held).toHaveLength(1)
    await p.drain()
    await Promise.all(results)
    expect(p.maxInFlight()).toBe(1)
    expect(sizes()).toEqual([1, 9])
  })

  it('with gatherInPhase, forms a batch at the end of the I/O phase: submits a few awaits apart share it', async () => {
    const { p, gc, values } = heldGroupCommit({ maxBatch: 100, gatherInPhase: true })
    const phase = () => new Promise<void>((resolve) => setImmediate(resolve))
    // Requests read together reach submit one after another, each after its own awaits (body, validation).
    const results = [gc.submit(item('k0', 0))]
    for (let n = 1; n < 5; n++) {
      await flushMicrotasks()
      results.push(gc.submit(item(`k${n}`, n)))
    }
    expect(p.batches).toEqual([])
    await phase()
    // Without the option the first would have gone alone and the other four waited for its round trip.
    expect(values()).toEqual([[0, 1, 2, 3, 4]])
    // What arrives while it runs is the next batch, started once it ends (the same loop turn as the release).
    results.push(gc.submit(item('k0', 5)), gc.submit(item('k9', 6)))
    await phase()
    expect(p.batches).toHaveLength(1)
    p.held.shift()?.release()
    await flushMicrotasks()
    await phase()
    expect(values()).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6],
    ])
    p.held.shift()?.release()
    expect(await Promise.all(results)).toEqual(['k0#0', 'k1#1', 'k2#2', 'k3#3', 'k4#4', 'k0#5', 'k9#6'])
    // A lone item on an idle batcher still starts in the same loop turn (its check phase), not after a delay. No race
    // against a timer here: on a busy machine a 1 ms timer may come due before that phase, which says nothing.
    const lone = gc.submit(item('z', 7))
    expect(p.batches).toHaveLength(2)
    await phase()
    expect(p.batches).toHaveLength(3)
    p.held.shift()?.release()
    await expect(lone).resolves.toBe('z#7')
  })

  it('never puts one key twice in a batch, nor lets a key overtake itself', async () => {
    const { p, gc } = heldGroupCommit({ maxInFlight: 3 })
    const keys = ['a', 'a', 'b', 'a', 'c', 'b', 'a', 'c', 'd', 'a']
    const results = keys.map((key, n) => gc.submit(item(key, n)))
    await p.drain()
    expect(await Promise.all(results)).toEqual(keys.map((key, n) => `${key}#${n}`))
    for (const batch of p.batches) {
      expect(new Set(batch.map((i) => i.key)).size).toBe(batch.length)
    }
    // Per key, the batches took its items in submission order.
    for (const key of new Set(keys)) {
      const order = p.batches.flat().filter((i) => i.key === key)
      expect(order.map((i) => i.value)).toEqual(keys.flatMap((k, n) => (k === key ? [n] : [])))
    }
  })

  it('holds a key back while a batch with that key is still in flight, even with a free slot', async () => {
    const { p, gc } = heldGroupCommit({ maxInFlight: 4 })
    const first = gc.submit(item('a', 1))
    const second = gc.submit(item('a', 2))
    const other = gc.submit(item('b', 3))
    // 'a' is busy: its second item waits although slots are free; 'b' goes.
    expect(p.batches).toEqual([[item('a', 1)], [item('b', 3)]])
    expect(gc.queued).toBe(1)
    // 'b' finishing does not release 'a#2' (still busy).
    p.held.splice(1, 1)[0]?.release()
    await expect(other).resolves.toBe('b#3')
    await flushMicrotasks()
    expect(p.batches).toHaveLength(2)
    p.held.shift()?.release()
    await expect(first).resolves.toBe('a#1')
    await flushMicrotasks()
    expect(p.batches.at(-1)).toEqual([item('a', 2)])
    p.held.shift()?.release()
    await expect(second).resolves.toBe('a#2')
  })

  it('retries a failing batch item by item: only the bad item rejects, the others get their own result', async () => {
    const { p, gc, values } = heldGroupCommit({}, { failWhen: (items) => items.some((i) => i.value === 3) })
    const results = [0, 1, 2, 3, 4, 5].map((n) => gc.submit(item(`k${n}`, n)))
    const settled = Promise.allSettled(results)
    await p.drain()
    const outcomes = await settled
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      'k0#0',
      'k1#1',
      'k2#2',
      'rejected',
      'k4#4',
      'k5#5',
    ])
    expect((outcomes[3] as PromiseRejectedResult).reason).toEqual(new Error('bad batch 3'))
    // [0], then [1..5] failed, then each of 1..5 alone.
    expect(values()).toEqual([[0], [1, 2, 3, 4, 5], ...[1, 2, 3, 4, 5].map((n) => [n])])
  })

  it('rejects a lone failing item with its error and keeps going with the next batch', async () => {
    const { p, gc } = heldGroupCommit()
    const bad = gc.submit(item('a', 1))
    const next = gc.submit(item('a', 2))
    p.held.shift()?.fail(new Error('boom'))
    await expect(bad).rejects.toThrow('boom')
    // The batch that failed was processed once, not retried (it was already one item).
    await p.drain()
    await expect(next).resolves.toBe('a#2')
    expect(p.batches).toEqual([[item('a', 1)], [item('a', 2)]])
  })

  it('keeps a failing key busy during the item-by-item retry, so its next item cannot overtake', async () => {
    const order: number[] = []
    const gc = new GroupCommit<Item, number>({
      keyOf: (i) => i.key,
      process: async (items) => {
        await flushMicrotasks()
        if (items.length > 1) throw new Error('batch failed')
        order.push(...items.map((i) => i.value))
        return items.map((i) => i.value)
      },
      maxBatch: 10,
      maxInFlight: 2,
    })
    const all = [
      gc.submit(item('x', 0)),
      gc.submit(item('a', 1)),
      gc.submit(item('b', 2)),
      gc.submit(item('a', 3)),
      gc.submit(item('b', 4)),
    ]
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4])
    expect(order.indexOf(1)).toBeLessThan(order.indexOf(3))
    expect(order.indexOf(2)).toBeLessThan(order.indexOf(4))
  })

  it('settles the items its screen answers without processing them, and screens a batch once however it is retried', async () => {
    const screened: number[][] = []
    const { p, gc, values } = heldGroupCommit(
      {
        // Odd values over 4 are refused (a rate limit): answered here, never processed.
        screen: async (items) => {
          screened.push(items.map((i) => i.value))
          return items.map((i) => (i.value > 4 && i.value % 2 === 1 ? `refused ${i.value}` : undefined))
        },
      },
      { failWhen: (items) => items.some((i) => i.value === 3) },
    )
    const results = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => gc.submit(item(`k${n}`, n)))
    const settled = Promise.allSettled(results)
    await p.drain()
    const outcomes = await settled
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      'k0#0',
      'k1#1',
      'k2#2',
      'rejected',
      'k4#4',
      'refused 5',
      'k6#6',
      'refused 7',
    ])
    // [0] alone, then [1..7]: its screen let 1, 2, 3, 4, 6 through, that batch failed (3) and was retried item by
    // item, without screening again.
    expect(screened).toEqual([[0], [1, 2, 3, 4, 5, 6, 7]])
    expect(values()).toEqual([[0], [1, 2, 3, 4, 6], ...[1, 2, 3, 4, 6].map((n) => [n])])
  })

  it('processes nothing of a batch its screen answers whole, and rejects a batch whose screen throws', async () => {
    let screens = 0
    const { p, gc } = heldGroupCommit({
      screen: async (items) => {
        screens += 1
        if (items.some((i) => i.value === 9)) throw new Error('screen broke')
        return items.map((i) => (i.key === 'flood' ? 'refused' : undefined))
      },
    })
    // The first goes alone; the next two wait for it and form one batch.
    const refused = gc.submit(item('flood', 1))
    const broken = [gc.submit(item('a', 9)), gc.submit(item('b', 2))]
    await expect(refused).resolves.toBe('refused')
    await expect(broken[0]).rejects.toThrow('screen broke')
    await expect(broken[1]).rejects.toThrow('screen broke')
    expect(p.batches).toEqual([])
    // The batcher keeps going.
    const next = gc.submit(item('a', 3))
    await p.drain()
    await expect(next).resolves.toBe('a#3')
    expect(screens).toBe(3)
  })

  it('maps results to the right callers when a batch resolves them in order', async () => {
    const gc = new GroupCommit<Item, number>({
      keyOf: (i) => i.key,
      process: async (items) => {
        await flushMicrotasks()
        return items.map((i) => i.value * 10)
      },
      maxBatch: 3,
      maxInFlight: 2,
    })
    const values = Array.from({ length: 17 }, (_, n) => n)
    const results = await Promise.all(values.map((n) => gc.submit(item(`k${n % 5}`, n))))
    expect(results).toEqual(values.map((n) => n * 10))
  })
})
