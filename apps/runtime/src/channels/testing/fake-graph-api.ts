// A fake WhatsApp Cloud API (Meta Graph API) on loopback: the phone-number read, the template list and
// /messages, each checking the exact request Meta documents and answering in Meta's shapes. One access token
// is valid; anything else is Meta's 190 "Invalid OAuth access token".
import type { WhatsAppTemplate } from '@parley/api'
import {
  type FakeAnswer,
  type FakeProvider,
  type RecordedRequest,
  startFakeProvider,
} from './fake-provider.ts'

export const PHONE_NUMBER_FIELDS = 'display_phone_number,verified_name,quality_rating,throughput'

export interface FakeGraphApi extends FakeProvider {
  /** POST /{phone-number-id}/messages bodies, in order. */
  sent: Record<string, unknown>[]
}

export interface FakeGraphOptions {
  accessToken: string
  phoneNumberId: string
  wabaId: string
  displayPhoneNumber?: string
  throughput?: 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE'
  /** As Meta lists them: name, language, category, status, components. */
  templates?: Record<string, unknown>[]
}

const graphError = (status: number, code: number, message: string): FakeAnswer => ({
  status,
  body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'fake' } },
})

export async function startFakeGraphApi(options: FakeGraphOptions): Promise<FakeGraphApi> {
  let counter = 0
  const fake = (await startFakeProvider(() => graphError(404, 803, 'Unknown path'))) as FakeGraphApi
  fake.sent = []
  fake.fallback = (request: RecordedRequest): FakeAnswer => {
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token')
    }
    const url = new URL(request.path, 'http://graph')
    const parts = url.pathname.split('/').filter(Boolean)
    if (request.method === 'GET' && parts.length === 1 && parts[0] === options.phoneNumberId) {
      if (url.searchParams.get('fields') !== PHONE_NUMBER_FIELDS) {
        return graphError(400, 100, `Unexpected fields: ${url.searchParams.get('fields')}`)
      }
      return {
        status: 200,
        body: {
          display_phone_number: options.displayPhoneNumber ?? '+44 7700 900123',
          verified_name: 'Linen & Co',
          quality_rating: 'GREEN',
          throughput: { level: options.throughput ?? 'STANDARD' },
          id: options.phoneNumberId,
        },
      }
    }
    if (request.method === 'GET' && parts[0] === options.wabaId && parts[1] === 'message_templates') {
      const fields = url.searchParams.get('fields')?.split(',') ?? []
      for (const field of ['name', 'language', 'category', 'status', 'components']) {
        if (!fields.includes(field)) return graphError(400, 100, `The template list must ask for ${field}`)
      }
      return {
        status: 200,
        body: { data: options.templates ?? [], paging: { cursors: { before: 'a', after: 'b' } } },
      }
    }
    if (
      request.method === 'POST' &&
      parts.length === 2 &&
      parts[0] === options.phoneNumberId &&
      parts[1] === 'messages'
    ) {
      const body = (request.body ?? {}) as Record<string, unknown>
      if (body.messaging_product !== 'whatsapp')
        return graphError(400, 100, 'messaging_product must be whatsapp')
      if (typeof body.to !== 'string' || !/^\d+$/.test(body.to)) {
        return graphError(400, 100, '(#100) Invalid parameter: to')
      }
      if (!['text', 'image', 'interactive', 'template'].includes(String(body.type))) {
        return graphError(400, 100, '(#100) Invalid parameter: type')
      }
      fake.sent.push(body)
      counter += 1
      return {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.FAKE${counter}` }],
        },
      }
    }
    return graphError(400, 100, `Unsupported ${request.method} request to ${url.pathname}`)
  }
  return fake
}

/** A template as Meta lists it, for FakeGraphOptions.templates. */
export function graphTemplate(
  t: Pick<WhatsAppTemplate, 'name' | 'language' | 'status'> & { category: string; body: string },
) {
  return {
    name: t.name,
    language: t.language,
    category: t.category.toUpperCase(),
    status: t.status,
    components: [{ type: 'BODY', text: t.body }],
    id: `tmpl-${t.name}`,
  }
}
