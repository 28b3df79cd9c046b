// What every trigger kind shares: one 'next' handle, taken at once. The host matches triggers to
// events (see TriggerSpec) and starts the run at the matching trigger node.
import type { NodeFacts, OutputHandle, TriggerSpec } from './types.ts'

export const triggerHandles: OutputHandle[] = [{ id: 'next', label: 'Then' }]

export function triggerFacts(trigger: TriggerSpec, writes: string[], opensWindow = false): NodeFacts {
  return {
    trigger,
    sends: 0,
    marketing: false,
    timing: { next: { min: 0, max: 0 } },
    opensWindow: opensWindow ? ['next'] : [],
    waits: false,
    terminal: false,
    writes,
    hasTemplateFallback: false,
  }
}
