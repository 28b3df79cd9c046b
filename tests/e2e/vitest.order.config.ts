// The suite in an order of one's choosing, to check that no spec relies on what another left behind:
// E2E_ORDER=inbox,cart-recovery npx vitest run --config vitest.order.config.ts (spec basenames, comma-separated;
// the rest follow). With the main config, vitest's --sequence.shuffle.files --sequence.seed=N shuffles the files;
// plain --sequence.shuffle shuffles each spec's steps too, and a spec's steps follow on from each other by design.

import { defineConfig, mergeConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import base from './vitest.config.ts'

class Ordered extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    const order = (process.env.E2E_ORDER ?? '').split(',').filter(Boolean)
    const rank = (f: TestSpecification) => {
      const i = order.findIndex((name) => f.moduleId.endsWith(`/${name}.e2e.ts`))
      return i === -1 ? order.length : i
    }
    return [...files].sort((a, b) => rank(a) - rank(b))
  }
}

export default mergeConfig(base, defineConfig({ test: { sequence: { sequencer: Ordered } } }))
