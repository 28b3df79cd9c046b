// How catalogue values read on screen: money, stock, import outcomes. Plain words, no codes.
import type { CatalogueImport } from '@parley/api'

export function formatMoney(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(amount))
  } catch {
    return `${amount} ${currency}`
  }
}

export function stockWords(inventory: number | null): string {
  if (inventory === null) return 'Always available'
  if (inventory <= 0) return 'Out of stock'
  return `${inventory.toLocaleString()} in stock`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`
}

export function importOutcome(job: CatalogueImport): string {
  if (job.status === 'queued') return 'Waiting to start'
  if (job.status === 'running') return `Importing… ${Math.floor(job.progress * 100)}%`
  if (job.status === 'failed') return job.failure ?? 'The import stopped'
  const parts = [`${plural(job.created, 'new product')}`, `${job.updated.toLocaleString()} updated`]
  if (job.unchanged > 0) parts.push(`${job.unchanged.toLocaleString()} unchanged`)
  if (job.errorCount > 0) parts.push(`${plural(job.errorCount, 'row')} skipped`)
  return parts.join(', ')
}

export const statusWords = { active: 'Active', draft: 'Draft', archived: 'Archived' } as const
