// Benchmark: parse + compile + validate + analyze of a generated 10-node and 1,000-node flow, measured in
// one process after a warm-up; prints medians and the 1,000/10 ratio. It measures and prints: no pass/fail.
import { cpus } from 'node:os'
import { analyze, compile, parseFlowDocument, validate } from '@parley/flow'
import { generateFlow } from './generate-flow.ts'

const WARM_UP_RUNS = 30
const RUNS: Record<number, number> = { 10: 1000, 1000: 60 }

type Phase = 'parse' | 'compile' | 'validate' | 'analyze'
const PHASES: Phase[] = ['parse', 'compile', 'validate', 'analyze']

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function measureOnce(json: unknown): Record<Phase | 'total', number> {
  const t0 = performance.now()
  const parsed = parseFlowDocument(json)
  const t1 = performance.now()
  if (!parsed.ok) throw new Error(`generated flow does not parse: ${parsed.issues[0]?.message}`)
  compile(parsed.doc)
  const t2 = performance.now()
  const issues = validate(json)
  const t3 = performance.now()
  analyze(parsed.doc)
  const t4 = performance.now()
  if (issues.some((issue) => issue.severity === 'error')) throw new Error('generated flow has errors')
  return { parse: t1 - t0, compile: t2 - t1, validate: t3 - t2, analyze: t4 - t3, total: t4 - t0 }
}

function bench(size: number) {
  // A fresh JSON copy per run, as the runtime and editor would receive it.
  const source = JSON.stringify(generateFlow(size))
  const issues = validate(JSON.parse(source))
  for (let i = 0; i < WARM_UP_RUNS; i++) measureOnce(JSON.parse(source))
  const samples: Record<Phase | 'total', number[]> = {
    parse: [],
    compile: [],
    validate: [],
    analyze: [],
    total: [],
  }
  const runs = RUNS[size] ?? 100
  for (let i = 0; i < runs; i++) {
    const sample = measureOnce(JSON.parse(source))
    for (const key of [...PHASES, 'total'] as const) samples[key].push(sample[key])
  }
  const doc = JSON.parse(source) as { nodes: unknown[]; edges: unknown[] }
  return {
    size,
    nodes: doc.nodes.length,
    edges: doc.edges.length,
    runs,
    warnings: issues.length,
    medians: Object.fromEntries(
      [...PHASES, 'total'].map((key) => [key, median(samples[key as Phase])]),
    ) as Record<Phase | 'total', number>,
  }
}

const small = bench(10)
const large = bench(1000)
const fmt = (ms: number) => ms.toFixed(3).padStart(9)

console.log(
  `Flow compile + validate + analyze — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`,
)
console.log(`warm-up ${WARM_UP_RUNS} runs per size, then the median of the runs below (ms)\n`)
console.log(
  `${'flow'.padEnd(26)}${'runs'.padStart(6)}${PHASES.map((p) => p.padStart(10)).join('')}${'total'.padStart(10)}`,
)
for (const result of [small, large]) {
  const label = `${result.nodes} nodes / ${result.edges} edges`
  console.log(
    `${label.padEnd(26)}${String(result.runs).padStart(6)}${PHASES.map((p) => ` ${fmt(result.medians[p])}`).join('')} ${fmt(result.medians.total)}`,
  )
}
console.log(
  `\n1,000-node median total: ${large.medians.total.toFixed(2)} ms (target < 50 ms); ratio 1,000/10: ${(large.medians.total / small.medians.total).toFixed(1)}×`,
)
console.log(`validate warnings on the generated flows (no errors): ${small.warnings} and ${large.warnings}`)
