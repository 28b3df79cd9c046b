// A list of items in a sentence, the way a shopper would say it: "Linen Shirt", "Linen Shirt and Cap",
// "Linen Shirt and 2 more". One rule for the `list` template filter and the cart's `summary` variable.

/** The readable name of a list entry: a string itself, an object's title (or name); else nothing. */
function entryName(entry: unknown): string {
  if (typeof entry === 'string') return entry.trim()
  if (entry && typeof entry === 'object') {
    const { title, name } = entry as { title?: unknown; name?: unknown }
    if (typeof title === 'string' && title.trim() !== '') return title.trim()
    if (typeof name === 'string') return name.trim()
  }
  return ''
}

/**
 * @example listSummary([{ title: 'Linen Shirt' }, { title: 'Cap' }, { title: 'Belt' }]) // 'Linen Shirt and 2 more'
 */
export function listSummary(entries: readonly unknown[]): string {
  const names = entries.map(entryName).filter((name) => name !== '')
  if (names.length <= 1) return names[0] ?? ''
  if (names.length === 2) return `${names[0]} and ${names[1]}`
  return `${names[0]} and ${names.length - 1} more`
}
