// Photos shoppers sent (returns triage: "send a picture of the damage"), fetched from the provider for
// staff. Inbound media are stored as references (whatsapp-media:<id>, telegram-file:<file_id>) because
// the bytes sit behind the channel's token; this resolves a reference with that token, server-side only,
// through the egress policy with the size capped while the bytes stream in.
import type { Channel } from '@parley/db'
import { readChannelConfig } from '../channels/channel-secrets.ts'
import { telegramMethodUrl } from '../channels/telegram/telegram-adapter.ts'
import { telegramChannelConfig } from '../channels/telegram/telegram-config.ts'
import { readPhoto, WEBCHAT_PHOTO_REF_PREFIX } from '../channels/webchat/photo-store.ts'
import { whatsAppBaseUrl } from '../channels/whatsapp/whatsapp-adapter.ts'
import { whatsAppChannelConfig } from '../channels/whatsapp/whatsapp-config.ts'
import type { RuntimeDeps } from '../deps.ts'
import { egressFetch } from '../egress/egress-fetch.ts'

export const MAX_MEDIA_BYTES = 16 * 1024 * 1024
const MAX_METADATA_BYTES = 64 * 1024
const TIMEOUT_MS = 15_000

export interface FetchedMedia {
  bytes: Uint8Array<ArrayBuffer>
  contentType: string
}

/** The bytes behind a stored media reference, or null when the provider has none (expired, unknown). */
export async function fetchInboundMedia(
  deps: Pick<RuntimeDeps, 'config' | 'db' | 'egress'>,
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
    const meta = await getJson(deps, `${whatsAppBaseUrl(channel, deps)}/${encodeURIComponent(id)}`, auth)
    const url = (meta as { url?: unknown } | null)?.url
    if (typeof url !== 'string') return null
    const mime = (meta as { mime_type?: unknown }).mime_type
    return getBytes(deps, url, auth, typeof mime === 'string' ? mime : undefined)
  }
  if (reference.startsWith('telegram-file:') && channel.kind === 'telegram') {
    const config = readChannelConfig(deps, channel, telegramChannelConfig)
    if (!config.success) return null
    const fileId = reference.slice('telegram-file:'.length)
    // Bot API: getFile → { result: { file_path } }; bytes at {base}/file/bot<token>/<file_path>.
    const answer = await getJson(
      deps,
      `${telegramMethodUrl(channel, deps, config.data, 'getFile')}?file_id=${encodeURIComponent(fileId)}`,
      {},
    )
    const path = (answer as { result?: { file_path?: unknown } } | null)?.result?.file_path
    if (typeof path !== 'string') return null
    const base = (channel.base_url ?? deps.config.TELEGRAM_API_URL).replace(/\/+$/, '')
    return getBytes(deps, `${base}/file/bot${config.data.botToken}/${path}`, {}, undefined)
  }
  return null
}

/** A provider's small JSON answer (media metadata, getFile), through the egress policy. */
async function getJson(
  deps: Pick<RuntimeDeps, 'egress'>,
  url: string,
  headers: Record<string, string>,
): Promise<unknown> {
  const response = await egressFetch(deps.egress, {
    method: 'GET',
    url,
    headers,
    timeoutMs: TIMEOUT_MS,
    maxBodyBytes: MAX_METADATA_BYTES,
  }).catch(unreachable)
  if (!response) return null
  if (response.status < 200 || response.status >= 300 || response.truncated) return null
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown
  } catch {
    return null
  }
}

/**
 * The media bytes, through the egress policy (the URL comes from the provider's answer: each hop is judged
 * again), read only up to MAX_MEDIA_BYTES while streaming: a larger file is dropped at the cap, never buffered.
 */
async function getBytes(
  deps: Pick<RuntimeDeps, 'egress'>,
  url: string,
  headers: Record<string, string>,
  mimeType: string | undefined,
): Promise<FetchedMedia | null> {
  const response = await egressFetch(deps.egress, {
    method: 'GET',
    url,
    headers,
    timeoutMs: TIMEOUT_MS,
    maxBodyBytes: MAX_MEDIA_BYTES,
  }).catch(unreachable)
  if (!response) return null
  if (response.status < 200 || response.status >= 300 || response.truncated) return null
  const bytes = new Uint8Array(response.body.byteLength)
  bytes.set(response.body)
  const header = response.headers['content-type']
  const contentType = mimeType ?? (typeof header === 'string' ? header : 'application/octet-stream')
  return { bytes, contentType }
}

/** Refused by the egress policy, timed out or unreachable: staff see "not found", as for an expired file. */
function unreachable(): null {
  return null
}
