// Which output's step menu is open, and the "+" button it opened from (focus goes back there on close).
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'

export interface StepMenuTarget {
  nodeId: string
  handle: string
  anchor: HTMLElement
}

export const stepMenuStore = createStore<{ open: StepMenuTarget | null }>()(() => ({ open: null }))

export function openStepMenu(nodeId: string, handle: string, anchor: HTMLElement): void {
  stepMenuStore.setState({ open: { nodeId, handle, anchor } })
}

export function closeStepMenu(): void {
  const anchor = stepMenuStore.getState().open?.anchor
  stepMenuStore.setState({ open: null })
  if (anchor?.isConnected) anchor.focus()
}

export function useStepMenu(): StepMenuTarget | null {
  return useStore(stepMenuStore, (s) => s.open)
}
