// Outbound payloads → Cloud API message objects (POST /{phone-number-id}/messages). Pure.
// Text, image (with caption), reply buttons (max 3, titles ≤ 20; more become a list), and templates.
import type { OutboundMessage, TemplateRef } from '@parley/flow'
import { messageImage, messageText, truncate } from '../message-text.ts'

export const WHATSAPP_LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  listRowTitle: 24,
  interactiveBody: 1024,
  caption: 1024,
  text: 4096,
} as const

export function toWhatsAppMessage(
  to: string,
  message: OutboundMessage,
  template?: TemplateRef,
): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to }
  if (template) {
    return {
      ...base,
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.language },
        ...(template.params.length > 0
          ? {
              components: [
                { type: 'body', parameters: template.params.map((text) => ({ type: 'text', text })) },
              ],
            }
          : {}),
      },
    }
  }
  const buttons = message.buttons ?? []
  // A link alone becomes a call-to-action button; beside quick replies it stays a line of text.
  const link = buttons.length === 0 ? message.link : undefined
  const text = messageText(message, { linkAsButton: link !== undefined })
  const image = messageImage(message)
  if (link) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        ...(image ? { header: { type: 'image', image: { link: image } } } : {}),
        body: { text: truncate(text.trim() === '' ? link.title : text, WHATSAPP_LIMITS.interactiveBody) },
        action: {
          name: 'cta_url',
          parameters: { display_text: truncate(link.title, WHATSAPP_LIMITS.buttonTitle), url: link.url },
        },
      },
    }
  }
  if (buttons.length > 0) {
    const body = {
      text: truncate(
        text.trim() === '' ? (message.product?.title ?? '…') : text,
        WHATSAPP_LIMITS.interactiveBody,
      ),
    }
    if (buttons.length <= WHATSAPP_LIMITS.buttons) {
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'button',
          ...(image ? { header: { type: 'image', image: { link: image } } } : {}),
          body,
          action: {
            buttons: buttons.map((button) => ({
              type: 'reply',
              reply: { id: button.id, title: truncate(button.title, WHATSAPP_LIMITS.buttonTitle) },
            })),
          },
        },
      }
    }
    // More than three choices: a list message (a list has no image header).
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'list',
        body,
        action: {
          button: 'Choose',
          sections: [
            {
              title: 'Options',
              rows: buttons.slice(0, WHATSAPP_LIMITS.listRows).map((button) => ({
                id: button.id,
                title: truncate(button.title, WHATSAPP_LIMITS.listRowTitle),
              })),
            },
          ],
        },
      },
    }
  }
  if (image) {
    return {
      ...base,
      type: 'image',
      image: {
        link: image,
        ...(text.trim() === '' ? {} : { caption: truncate(text, WHATSAPP_LIMITS.caption) }),
      },
    }
  }
  return {
    ...base,
    type: 'text',
    text: { body: truncate(text, WHATSAPP_LIMITS.text), preview_url: /https?:\/\//.test(text) },
  }
}
