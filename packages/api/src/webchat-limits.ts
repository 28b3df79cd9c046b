// The photo limits of web chat, checked by the widget before uploading and by the runtime again. No zod here: the
// widget imports this module itself (`@parley/api/webchat-limits`) and must not bundle the schemas.

/** The photo kinds a visitor may send (HEIC: iPhone photos). */
export const WEBCHAT_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const
export type WebchatPhotoType = (typeof WEBCHAT_PHOTO_TYPES)[number]

/** At most 10 MB a photo. */
export const WEBCHAT_PHOTO_MAX_BYTES = 10 * 1024 * 1024
