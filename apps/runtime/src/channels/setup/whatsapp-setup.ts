// Connecting a WhatsApp Cloud API number: read the phone number (proves the token and names the number,
// its quality rating and throughput tier), sync the account's message templates, and send Meta's
// `hello_world` template as a test. The throughput tier sets the channel's pacing (pacing-config.ts).
import type { WhatsAppTemplate } from '@parley/api'
import type { RuntimeDeps } from '../../deps.ts'
import type { PacingConfig } from '../pacing-config.ts'
import { callProviderJson, isObj, type Obj, ProviderRejectedError, str } from './provider-call.ts'

type Deps = Pick<RuntimeDeps, 'egress' | 'config'>

export interface WhatsAppNumber {
  displayPhoneNumber?: string
  verifiedName?: string
  qualityRating?: string
  /** STANDARD, HIGH, NOT_APPLICABLE as the Graph API reports `throughput.level`. */
  throughput?: string
}

const graph = (deps: Deps) => deps.config.WHATSAPP_GRAPH_URL.replace(/\/+$/, '')

/** The Graph API's { error: { message, code } } in the owner's terms. */
function graphError(json: unknown, status: number): ProviderRejectedError {
  const error = isObj(json) && isObj(json.error) ? json.error : {}
  const message = str(error.message) ?? `HTTP ${status}`
  return new ProviderRejectedError(
    'Meta',
    error.code === undefined ? message : `${message} (code ${String(error.code)})`,
  )
}

async function graphCall(
  deps: Deps,
  accessToken: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Obj> {
  const answer = await callProviderJson(deps, 'Meta', {
    method,
    url: `${graph(deps)}${path}`,
    headers: { authorization: `Bearer ${accessToken}` },
    body,
  })
  if (answer.status < 200 || answer.status >= 300 || !isObj(answer.json)) {
    throw graphError(answer.json, answer.status)
  }
  return answer.json
}

export async function readWhatsAppNumber(
  deps: Deps,
  credentials: { phoneNumberId: string; accessToken: string },
): Promise<WhatsAppNumber> {
  const json = await graphCall(
    deps,
    credentials.accessToken,
    'GET',
    `/${encodeURIComponent(credentials.phoneNumberId)}?fields=display_phone_number,verified_name,quality_rating,throughput`,
  )
  const throughput = isObj(json.throughput) ? str(json.throughput.level) : undefined
  return {
    displayPhoneNumber: str(json.display_phone_number),
    verifiedName: str(json.verified_name),
    qualityRating: str(json.quality_rating),
    throughput,
  }
}

/**
 * Messages per second a number may send by its tier (Meta: 80 by default, up to 1,000 for HIGH). The burst is a
 * tenth of a second's worth, as the default pacing has.
 */
export function pacingForThroughput(level: string | undefined): PacingConfig | undefined {
  if (level === 'HIGH') return { channel: { perSecond: 1000, burst: 100 } }
  if (level === 'STANDARD') return { channel: { perSecond: 80, burst: 8 } }
  return undefined
}

/** Every template of the account (follows Graph paging, at most 20 pages). */
export async function fetchWhatsAppTemplates(
  deps: Deps,
  credentials: { wabaId: string; accessToken: string },
): Promise<WhatsAppTemplate[]> {
  const templates: WhatsAppTemplate[] = []
  let path: string | undefined =
    `/${encodeURIComponent(credentials.wabaId)}/message_templates?fields=name,language,category,status,components&limit=100`
  for (let page = 0; path && page < 20; page++) {
    const json = await graphCall(deps, credentials.accessToken, 'GET', path)
    for (const item of Array.isArray(json.data) ? json.data.filter(isObj) : []) {
      const template = toTemplate(item)
      if (template) templates.push(template)
    }
    const after =
      isObj(json.paging) && isObj(json.paging.cursors) ? str(json.paging.cursors.after) : undefined
    const hasNext = isObj(json.paging) && str(json.paging.next) !== undefined
    path =
      hasNext && after ? `${path.replace(/&after=[^&]*/, '')}&after=${encodeURIComponent(after)}` : undefined
  }
  return templates
}

function toTemplate(item: Obj): WhatsAppTemplate | undefined {
  const name = str(item.name)
  const language = str(item.language)
  if (!name || !language) return undefined
  const components = Array.isArray(item.components) ? item.components.filter(isObj) : []
  const body = str(components.find((c) => c.type === 'BODY')?.text) ?? null
  const placeholders = new Set(body?.match(/\{\{\s*\d+\s*\}\}/g)?.map((p) => p.replace(/\D/g, '')) ?? [])
  return {
    name,
    language,
    category: (str(item.category) ?? 'utility').toLowerCase(),
    status: str(item.status) ?? 'UNKNOWN',
    body,
    parameters: placeholders.size,
  }
}

/** Sends Meta's pre-approved `hello_world` template; answers the message id (wamid). */
export async function sendWhatsAppTestMessage(
  deps: Deps,
  credentials: { phoneNumberId: string; accessToken: string },
  to: string,
): Promise<string> {
  const json = await graphCall(
    deps,
    credentials.accessToken,
    'POST',
    `/${encodeURIComponent(credentials.phoneNumberId)}/messages`,
    {
      messaging_product: 'whatsapp',
      to: to.replace(/^\+/, ''),
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    },
  )
  const id = Array.isArray(json.messages) && isObj(json.messages[0]) ? str(json.messages[0].id) : undefined
  if (!id) throw new ProviderRejectedError('Meta', 'the answer named no message id')
  return id
}
