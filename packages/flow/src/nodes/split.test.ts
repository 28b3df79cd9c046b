import { describe, expect, it } from 'vitest'
import { checkNode, runNode } from './node-test-kit.ts'
import { split, splitBucket, splitDefaults } from './split.ts'

describe('split', () => {
  it('parses its defaults: 50/50', () => {
    expect(split.configSchema.parse(splitDefaults)).toEqual(splitDefaults)
    expect(split.handles(splitDefaults)).toEqual([
      { id: 'a', label: 'A (50%)' },
      { id: 'b', label: 'B (50%)' },
    ])
    expect(split.facts(splitDefaults).timing).toEqual({ a: { min: 0, max: 0 }, b: { min: 0, max: 0 } })
  })

  it('flags percentages that do not add up to 100', () => {
    const variants = [
      { id: 'a', label: 'A', percent: 60 },
      { id: 'b', label: 'B', percent: 30 },
    ]
    expect(checkNode('split', { variants }).map((i) => i.message)).toEqual([
      "The branches of 'Step' add up to 90%, not 100%",
    ])
    expect(checkNode('split', {})).toEqual([])
  })

  it('never takes a 0% branch in its facts', () => {
    const facts = split.facts({
      variants: [
        { id: 'a', label: 'A', percent: 100 },
        { id: 'b', label: 'B', percent: 0 },
      ],
    })
    expect(Object.keys(facts.timing)).toEqual(['a'])
  })

  it('picks the same branch for the same seed, and spreads seeds by the percentages', () => {
    const first = runNode('split', {}, { seed: 'run-17' }).outcome
    expect(runNode('split', {}, { seed: 'run-17' }).outcome).toBe(first)
    const variants = [
      { id: 'a', label: 'A', percent: 20 },
      { id: 'b', label: 'B', percent: 80 },
    ]
    const counts = { a: 0, b: 0 }
    for (let i = 0; i < 2000; i++) counts[splitBucket(`run-${i}`, 'n') < 20 ? 'a' : 'b']++
    expect(counts.a / 2000).toBeGreaterThan(0.16)
    expect(counts.a / 2000).toBeLessThan(0.24)
    // The machine agrees with the bucket function.
    for (const seed of ['s1', 's2', 's3', 's4', 's5']) {
      const expected = splitBucket(seed, 'n') < 20 ? 'a' : 'b'
      expect(runNode('split', { variants }, { seed }).outcome).toBe(expected)
    }
  })
})
