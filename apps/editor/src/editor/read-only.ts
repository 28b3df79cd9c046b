// Whether the open flow may be changed by the signed-in person: support agents read flows, they do not edit
// them. The editor screen provides it; the canvas, cards, inspector and history hide or disable what changes.
import { createContext, useContext } from 'react'

export const ReadOnlyContext = createContext(false)

export function useReadOnly(): boolean {
  return useContext(ReadOnlyContext)
}
