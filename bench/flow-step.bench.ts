// Benchmark: the stepper's share of a timer firing, in one process, without a database: the timers bench's reminder
// run (runtime-bench-kit.ts `reminderFlow`) restored from its stored snapshot and stepped with its delay's timer
// event, as the runtime's StepBatch does (a MachineStepper kept per flow version). Prints µs per step (median of
// blocks) and bytes allocated per step (V8's sampling heap profiler, collected objects included). It measures and
// prints: no pass/fail.
//   cd bench && node --import tsx flow-step.bench.ts
import { Session } from 'node:inspector'
import { compile, MachineStepper, type PersistedFlowSnapshot, parseFlowDocument } from '@parley/flow'
import { reminderFlow } from './runtime-bench-kit.ts'

const BLOCKS = 30
const STEPS_PER_BLOCK = 10_000

const parsed = parseFlowDocument(reminderFlow)
if (!parsed.ok) throw new Error('the reminder flow does not parse')
const stepper = new MachineStepper(compile(parsed.doc))
const now = Date.UTC(2026, 11, 1)
const first = stepper.start(
  {
    vars: {
      contact: {
        id: '01JDQ00000000000000000CNTC',
        name: 'Bench Shopper',
        first_name: 'Bench',
        phone: '+15550000001',
      },
      store: { name: 'Bench shop', currency: 'EUR', url: 'https://bench.example' },
      trigger: { text: 'hello', button_id: null },
    },
    seed: '01JDQ00000000000000000RUNS',
  },
  { now },
)
const timer = first.timers.set[0]
if (!timer) throw new Error('the reminder run set no timer')
// As the runtime gets them: each run's snapshot parsed from its own row (pg parses the jsonb column).
const text = JSON.stringify(first.snapshot)
const stored: PersistedFlowSnapshot[] = Array.from({ length: 1_000 }, () => JSON.parse(text))

function steps(n: number): void {
  for (let i = 0; i < n; i++) stepper.step(stored[i % stored.length]!, timer!.event, { now: timer!.dueAt })
}

steps(STEPS_PER_BLOCK)
const micros: number[] = []
for (let b = 0; b < BLOCKS; b++) {
  const t0 = performance.now()
  steps(STEPS_PER_BLOCK)
  micros.push(((performance.now() - t0) * 1000) / STEPS_PER_BLOCK)
}
micros.sort((a, b) => a - b)

const session = new Session()
session.connect()
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  )
await post('HeapProfiler.enable')
await post('HeapProfiler.startSampling', {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
})
steps(STEPS_PER_BLOCK * 2)
type HeapNode = { selfSize: number; children: HeapNode[] }
const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } }
const total = (node: HeapNode): number => node.selfSize + node.children.reduce((sum, c) => sum + total(c), 0)
session.disconnect()

console.log(
  `reminder firing's step (snapshot ${text.length} bytes): median ${micros[BLOCKS >> 1]!.toFixed(2)} µs ` +
    `(min ${micros[0]!.toFixed(2)}) over ${BLOCKS} blocks of ${STEPS_PER_BLOCK.toLocaleString('en')}; ` +
    `${(total(profile.head) / (STEPS_PER_BLOCK * 2) / 1024).toFixed(1)} KB allocated a step`,
)
