// Photos shoppers sent (returns triage: "send a picture of the damage"), fetched from the provider for
// staff. Inbound media are stored as references (whatsapp-media:<id>, telegram-file:<file_id>) because
// the bytes sit behind the channel's token; this resolves a reference with that token, server-side only.
import type { Channel } from '@parley/db'
import { readChannelConfig } from '../channels/channel-secrets.ts'
import { telegramMethodUrl } from '../channels/telegram/telegram-adapter.ts'
import { telegramChannelConfig } from '../channels/telegram/telegram-config.ts'
import { readPhoto, WEBCHAT_PHOTO_REF_PREFIX } from '../channels/webchat/photo-store.ts'
import { whatsAppBaseUrl } from '../channels/whatsapp/whatsapp-adapter.ts'
import { whatsAppChannelConfig } from '../channels/whatsapp/whatsapp-config.ts'
import type { RuntimeDeps } from '../deps.ts'

export const MAX_MEDIA_BYTES = 16 * 1024 * 1024
const TIMEOUT_MS = 15_000

export interface FetchedMedia {
  bytes: Uint8Array<ArrayBuffer>
  contentType: string
}

/** The bytes behind a stored media reference, or null when the provider has none (expired, unknown). */
export async function fetchInboundMedia(
  deps: Pick<RuntimeDeps, 'config' | 'db'>,
  channel: Channel,
  reference: string,
): Promise<FetchedMedia | null> {
  // Web chat keeps its visitors' photos itself (channels/webchat/photo-store.ts).
  if (reference.startsWith(WEBCHAT_PHOTO_REF_PREFIX) && channel.kind === 'webchat') {
    const photo = await readPhoto(
      deps.db,
      channel.merchant_id,
      reference.slice(WEBCHAT_PHOTO_REF_PREFIX.length),
    )
    return photo ? { bytes: new Uint8Array(photo.bytes), contentType: photo.contentType } : null
  }
  if (reference.startsWith('whatsapp-media:') && channel.kind === 'whatsapp') {
    const config = readChannelConfig(deps, channel, whatsAppChannelConfig)
    if (!config.success) return null
    const auth = { authorization: `Bearer ${config.data.accessToken}` }
    const id = reference.slice('whatsapp-media:'.length)
    // Graph API: GET /{media-id} → { url, mime_type }; the url needs the same token.
    const meta = await getJson(`${whatsAppBaseUrl(channel, deps)}/${encodeURIComponent(id)}`, auth)
    const url = (meta as { url?: unknown } | null)?.url
    if (typeof url !== 'string') return null
    const mime = (meta as { mime_type?: unknown }).mime_type
    return getBytes(url, auth, typeof mime === 'string' ? mime : undefined)
  }
  if (reference.startsWith('telegram-file:') && channel.kind === 'telegram') {
    const config = readChannelConfig(deps, channel, telegramChannelConfig)
    if (!config.success) return null
    const fileId = reference.slice('telegram-file:'.length)
    // Bot API: getFile → { result: { file_path } }; bytes at {base}/file/bot<token>/<file_path>.
    const answer = await getJson(
      `${telegramMethodUrl(channel, deps, config.data, 'getFile')}?file_id=${encodeURIComponent(fileId)}`,
      {},
    )
    const path = (answer as { result?: { file_path?: unknown } } | null)?.result?.file_path
    if (typeof path !== 'string') return null
    const base = (channel.base_url ?? deps.config.TELEGRAM_API_URL).replace(/\/+$/, '')
    return getBytes(`${base}/file/bot${config.data.botToken}/${path}`, {}, undefined)
  }
  return null
}

async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) })
  if (!response.ok) return null
  return response.json().catch(() => null)
}

async function getBytes(
  url: string,
  headers: Record<string, string>,
  mimeType: string | undefined,
): Promise<FetchedMedia | null> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) })
  if (!response.ok) return null
  const length = Number(response.headers.get('content-length') ?? 0)
  if (length > MAX_MEDIA_BYTES) return null
  const bytes = new Uint8Array(await response.arrayBuffer())
  if (bytes.byteLength > MAX_MEDIA_BYTES) return null
  const contentType = mimeType ?? response.headers.get('content-type') ?? 'application/octet-stream'
  return { bytes, contentType }
}
