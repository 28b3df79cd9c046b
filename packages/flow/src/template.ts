// Message templates: `Hi {{contact.first_name | default: "there"}}, {{cart.items[0].title}} is waiting`.
// A template is data: paths are resolved against the run's scope and a closed set of filters applies;
// nothing a merchant writes is ever evaluated as code.
import { listSummary } from './item-list.ts'
import { formatMoney } from './money.ts'
import { type PathSegment, parsePath, resolvePath } from './path.ts'

export const TEMPLATE_FILTERS = ['money', 'default', 'upper', 'lower', 'list'] as const
export type TemplateFilterName = (typeof TEMPLATE_FILTERS)[number]

export interface TemplateFilter {
  name: TemplateFilterName
  arg?: string
}

export type TemplatePart =
  | { type: 'text'; text: string }
  | { type: 'variable'; path: string; segments: PathSegment[]; filters: TemplateFilter[] }

export interface TemplateSyntaxError {
  message: string
  /** Character offset of the `{{` that starts the faulty placeholder. */
  index: number
}

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; error: TemplateSyntaxError }

const FILTER_NAMES: ReadonlySet<string> = new Set(TEMPLATE_FILTERS)
const FILTERS_WITH_ARG: Record<TemplateFilterName, 'required' | 'optional' | 'none'> = {
  money: 'optional',
  default: 'required',
  upper: 'none',
  lower: 'none',
  list: 'none',
}

function parseFilter(source: string): TemplateFilter | string {
  const colon = source.indexOf(':')
  const name = (colon < 0 ? source : source.slice(0, colon)).trim()
  if (!FILTER_NAMES.has(name)) {
    return name ? `Unknown filter "${name}" (use ${TEMPLATE_FILTERS.join(', ')})` : 'Empty filter after "|"'
  }
  const filterName = name as TemplateFilterName
  const rawArg = colon < 0 ? undefined : source.slice(colon + 1).trim()
  const argRule = FILTERS_WITH_ARG[filterName]
  if (rawArg === undefined || rawArg === '') {
    if (argRule === 'required') return `The "${filterName}" filter needs a value, e.g. ${filterName}: "there"`
    return { name: filterName }
  }
  if (argRule === 'none') return `The "${filterName}" filter takes no value`
  const quote = rawArg[0]
  let arg: string
  if ((quote === '"' || quote === "'") && rawArg.length >= 2 && rawArg.endsWith(quote)) {
    arg = rawArg.slice(1, -1)
    if (arg.includes(quote)) return `Malformed value ${rawArg} for the "${filterName}" filter`
  } else if (/^-?\d+(\.\d+)?$/.test(rawArg)) {
    arg = rawArg
  } else {
    return `Put the value of the "${filterName}" filter in quotes, e.g. ${filterName}: "${rawArg}"`
  }
  return { name: filterName, arg }
}

function parsePlaceholder(
  inner: string,
): { path: string; segments: PathSegment[]; filters: TemplateFilter[] } | string {
  // Filter values are quoted strings that may contain "|", so split outside quotes only.
  const pieces: string[] = []
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i]
    if (quote) {
      if (char === quote) quote = undefined
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === '|') {
      pieces.push(inner.slice(start, i))
      start = i + 1
    }
  }
  if (quote) return 'Unclosed quote'
  pieces.push(inner.slice(start))
  const path = pieces[0]!.trim()
  if (!path) return 'Empty placeholder {{ }}: put a variable name inside, e.g. {{contact.name}}'
  let segments: PathSegment[]
  try {
    segments = parsePath(path)
  } catch (error) {
    return (error as Error).message
  }
  const filters: TemplateFilter[] = []
  for (const piece of pieces.slice(1)) {
    const filter = parseFilter(piece)
    if (typeof filter === 'string') return filter
    filters.push(filter)
  }
  return { path, segments, filters }
}

/**
 * Splits a template into text and variable parts. Invalid placeholders give `ok: false` with a message a
 * merchant can act on ("A {{ is never closed").
 */
export function parseTemplate(template: string): ParsedTemplate {
  const result = scanTemplate(template)
  return result.error ? { ok: false, error: result.error } : { ok: true, parts: result.parts }
}

/** Parses as far as possible: a faulty placeholder stays literal text so rendering never fails. */
function scanTemplate(template: string): { parts: TemplatePart[]; error?: TemplateSyntaxError } {
  const parts: TemplatePart[] = []
  let error: TemplateSyntaxError | undefined
  let text = ''
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{{', i)
    if (open < 0) break
    const close = template.indexOf('}}', open + 2)
    if (close < 0) {
      error ??= { message: `A "{{" at position ${open + 1} is never closed with "}}"`, index: open }
      break
    }
    const nextOpen = template.indexOf('{{', open + 2)
    if (nextOpen >= 0 && nextOpen < close) {
      error ??= { message: `A "{{" at position ${open + 1} is never closed with "}}"`, index: open }
      text += template.slice(i, nextOpen)
      i = nextOpen
      continue
    }
    text += template.slice(i, open)
    const placeholder = parsePlaceholder(template.slice(open + 2, close))
    if (typeof placeholder === 'string') {
      error ??= { message: `${placeholder} (in "${template.slice(open, close + 2)}")`, index: open }
      text += template.slice(open, close + 2)
    } else {
      if (text) parts.push({ type: 'text', text })
      text = ''
      parts.push({ type: 'variable', ...placeholder })
    }
    i = close + 2
  }
  text += template.slice(i)
  if (text) parts.push({ type: 'text', text })
  return error ? { parts, error } : { parts }
}

/** The variable paths a template uses, in order of first use, e.g. ['contact.name', 'cart.total']. */
export function templatePaths(template: string): string[] {
  const paths = new Set<string>()
  for (const part of scanTemplate(template).parts) {
    if (part.type === 'variable') paths.add(part.path)
  }
  return [...paths]
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (Array.isArray(value)) {
    return value
      .filter((item) => item !== null && ['string', 'number', 'boolean'].includes(typeof item))
      .map(stringify)
      .join(', ')
  }
  // Objects render as nothing rather than "[object Object]".
  return ''
}

/** The `currency` of the nearest enclosing object (cart.total → cart.currency), else the store's. */
function currencyFor(scope: Record<string, unknown>, segments: readonly PathSegment[]): string | undefined {
  for (let length = segments.length - 1; length >= 1; length--) {
    const holder = resolvePath(scope, segments.slice(0, length))
    if (holder && typeof holder === 'object' && !Array.isArray(holder)) {
      const currency = resolvePath(holder, ['currency'])
      if (typeof currency === 'string' && currency) return currency
    }
  }
  const storeCurrency = resolvePath(scope, ['store', 'currency'])
  return typeof storeCurrency === 'string' && storeCurrency ? storeCurrency : undefined
}

function localeFor(scope: Record<string, unknown>): string {
  const locale = resolvePath(scope, ['contact', 'locale']) ?? resolvePath(scope, ['store', 'locale'])
  return typeof locale === 'string' && locale ? locale : 'en'
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value)
  return undefined
}

function renderVariable(
  part: Extract<TemplatePart, { type: 'variable' }>,
  scope: Record<string, unknown>,
): string {
  const value = resolvePath(scope, part.segments)
  let text = stringify(value)
  for (const filter of part.filters) {
    switch (filter.name) {
      case 'money': {
        const amount = toNumber(value)
        if (amount === undefined) break
        const currency = filter.arg ?? currencyFor(scope, part.segments)
        text = currency ? formatMoney(amount, currency, localeFor(scope)) : amount.toFixed(2)
        break
      }
      case 'default':
        if (text.trim() === '') text = filter.arg ?? ''
        break
      case 'upper':
        text = text.toUpperCase()
        break
      case 'lower':
        text = text.toLowerCase()
        break
      case 'list':
        // "Linen Shirt and 2 more" from a list of items; anything else is left as it is.
        if (Array.isArray(value)) text = listSummary(value)
        break
    }
  }
  return text
}

/**
 * Renders a template against the run's scope; never throws. Unknown paths render as an empty string and a
 * malformed placeholder is left as written.
 * @example renderTemplate('{{cart.total | money}}', { cart: { total: 49.9, currency: 'USD' } }) // '$49.90'
 */
export function renderTemplate(template: string, scope: Record<string, unknown>): string {
  let out = ''
  for (const part of scanTemplate(template).parts) {
    out += part.type === 'text' ? part.text : renderVariable(part, scope)
  }
  return out
}
