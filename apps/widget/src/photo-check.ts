// The widget's check of a photo before it is uploaded: the same types and size as the runtime allows
// (@parley/api/webchat-limits), with a message the shopper understands. Some browsers give a HEIC photo no
// type; its file name tells.
import { WEBCHAT_PHOTO_MAX_BYTES, WEBCHAT_PHOTO_TYPES } from '@parley/api/webchat-limits'

export const PHOTO_ACCEPT = [...WEBCHAT_PHOTO_TYPES, '.heic'].join(',')

export type PhotoCheck = { ok: true; photo: Blob } | { ok: false; message: string }

export function checkPhotoFile(file: Pick<File, 'type' | 'name' | 'size'> & Blob): PhotoCheck {
  const type = file.type || (/\.hei[cf]$/i.test(file.name) ? 'image/heic' : '')
  if (!(WEBCHAT_PHOTO_TYPES as readonly string[]).includes(type)) {
    return { ok: false, message: 'Send a JPEG, PNG, WebP or HEIC photo.' }
  }
  if (file.size > WEBCHAT_PHOTO_MAX_BYTES) {
    return {
      ok: false,
      message: `That photo is too large: photos can be up to ${WEBCHAT_PHOTO_MAX_BYTES / 1024 / 1024} MB.`,
    }
  }
  if (file.size === 0) return { ok: false, message: 'That photo is empty.' }
  return { ok: true, photo: type === file.type ? file : new Blob([file], { type }) }
}
