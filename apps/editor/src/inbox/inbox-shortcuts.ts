// The inbox's keyboard shortcuts, listed once: the `?` dialog shows this list and the handlers use these keys.
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: 'J / K', does: 'Next / previous conversation' },
  { keys: '1 – 4', does: 'Waiting, Mine, All open, Resolved' },
  { keys: '/', does: 'Search (in the reply box: canned replies)' },
  { keys: 'T', does: 'Take over' },
  { keys: 'A', does: 'Assign to a colleague or a queue' },
  { keys: 'R', does: 'Reply' },
  { keys: 'N', does: 'Internal note' },
  { keys: 'H', does: 'Hand back to the assistant' },
  { keys: 'E', does: 'Resolve' },
  { keys: 'O', does: 'Reopen' },
  { keys: 'Enter', does: 'Send (Shift+Enter: new line)' },
  { keys: 'Esc', does: 'Leave the reply box or close a dialog' },
  { keys: '?', does: 'This list' },
]

/** Letters typed into a field are text, not shortcuts. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null
  if (!target) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}
