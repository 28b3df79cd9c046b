// Photos web-chat visitors send (returns: "a picture of the damage"), kept in the database because web chat has
// no provider holding them. The transcript refers to one as `webchat-photo:<id>`, like WhatsApp's
// `whatsapp-media:<id>`; the visitor reads their own back, staff read them through the inbox media route.
import { WEBCHAT_PHOTO_MAX_BYTES, WEBCHAT_PHOTO_TYPES, type WebchatPhotoType } from '@parley/api'
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'
import { ValidationError } from '../../domain-errors.ts'

export const WEBCHAT_PHOTO_REF_PREFIX = 'webchat-photo:'

/**
 * The photo's real type from its first bytes, or null: the Content-Type a browser sends is only a claim, and a
 * file that is not the picture it says must not be stored (or served back) as one.
 */
export function sniffPhotoType(bytes: Uint8Array): WebchatPhotoType | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  // ISO-BMFF: [size]ftyp<brand>; HEIC photos from iPhones use these brands.
  if (
    ascii(4, 8) === 'ftyp' &&
    ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(ascii(8, 12))
  )
    return 'image/heic'
  return null
}

/** Checks a photo against the limits; the message is what the widget shows the shopper. */
export function checkPhoto(bytes: Uint8Array, declaredType: string | undefined): WebchatPhotoType {
  if (bytes.byteLength === 0) throw new ValidationError('The photo is empty')
  if (bytes.byteLength > WEBCHAT_PHOTO_MAX_BYTES)
    throw new ValidationError(`Photos can be up to ${WEBCHAT_PHOTO_MAX_BYTES / 1024 / 1024} MB`)
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase()
  const actual = sniffPhotoType(bytes)
  if (
    !actual ||
    !(WEBCHAT_PHOTO_TYPES as readonly string[]).includes(declared ?? '') ||
    actual !== declared
  ) {
    throw new ValidationError('Send a JPEG, PNG, WebP or HEIC photo')
  }
  return actual
}

export async function savePhoto(
  db: Kysely<Database>,
  photo: {
    merchantId: string
    channelId: string
    visitorId: string
    contentType: WebchatPhotoType
    bytes: Uint8Array
    at: number
  },
): Promise<string> {
  const row = await db
    .insertInto('webchat_photos')
    .values({
      merchant_id: photo.merchantId,
      channel_id: photo.channelId,
      visitor_id: photo.visitorId,
      content_type: photo.contentType,
      byte_size: photo.bytes.byteLength,
      bytes: photo.bytes,
      created_at: new Date(photo.at),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A stored photo; with `visitor`, only when it is that visitor's own. */
export async function readPhoto(
  db: Kysely<Database>,
  merchantId: string,
  photoId: string,
  visitor?: { channelId: string; visitorId: string },
): Promise<{ bytes: Uint8Array; contentType: string } | null> {
  let query = db
    .selectFrom('webchat_photos')
    .select(['bytes', 'content_type'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', photoId)
  if (visitor) {
    query = query.where('channel_id', '=', visitor.channelId).where('visitor_id', '=', visitor.visitorId)
  }
  const row = await query.executeTakeFirst()
  return row ? { bytes: new Uint8Array(row.bytes), contentType: row.content_type } : null
}
