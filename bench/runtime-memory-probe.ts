// Loaded into the runtime child (`--import`) by `startProbedRuntimeChild` in runtime-bench-kit.ts: answers
// `{ type: 'memory', id, gc }` on the IPC channel with the process's memory figures, after a full garbage
// collection when `gc` is true (the child runs with --expose-gc, which only exposes `gc()`: collection is
// otherwise unchanged). The runtime itself is not touched.
import { getHeapStatistics } from 'node:v8'

export interface MemoryRequest {
  type: 'memory'
  id: number
  gc: boolean
}

export interface MemorySample {
  type: 'memory'
  id: number
  /** Resident set size (bytes), as VmRSS. */
  rss: number
  /** V8 heap: live and dead objects not yet collected (bytes); after a forced GC, live objects only. */
  heapUsed: number
  heapTotal: number
  /** C++ objects bound to JS objects, including array buffers (bytes). */
  external: number
  arrayBuffers: number
  /** V8 heap size limit and contexts alive, for the record. */
  heapLimit: number
  nativeContexts: number
}

const collect = (globalThis as { gc?: () => void }).gc

process.on('message', (message: MemoryRequest) => {
  if (message?.type !== 'memory') return
  if (message.gc && collect) {
    // Twice: the first pass can leave objects whose finalizers freed more on the second.
    collect()
    collect()
  }
  const usage = process.memoryUsage()
  const heap = getHeapStatistics()
  const sample: MemorySample = {
    type: 'memory',
    id: message.id,
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    heapLimit: heap.heap_size_limit,
    nativeContexts: heap.number_of_native_contexts,
  }
  process.send?.(sample)
})
// The channel must not keep the runtime alive on its own (it exits on SIGTERM either way).
process.channel?.unref()
