// Send message: text with {{variables}}, an optional image, product card and quick-reply buttons,
// and the WhatsApp template to use when the 24-hour window is closed.
import { z } from 'zod'
import {
  buttonSchema,
  checkButtons,
  checkMessageText,
  MAX_BUTTONS,
  messageTemplates,
  productCardSchema,
  renderSend,
  sendPurposeSchema,
  templateFallbackSchema,
} from './message-parts.ts'
import type { NodeKind } from './types.ts'

export const sendMessageConfigSchema = z.object({
  text: z.string().max(4096),
  imageUrl: z.string().max(2000),
  product: productCardSchema.nullable(),
  buttons: z.array(buttonSchema).max(MAX_BUTTONS),
  purpose: sendPurposeSchema,
  whatsappTemplate: templateFallbackSchema.nullable(),
})
export type SendMessageConfig = z.infer<typeof sendMessageConfigSchema>

export const sendMessageDefaults = {
  text: '',
  imageUrl: '',
  product: null,
  buttons: [],
  purpose: 'service',
  whatsappTemplate: null,
} as const satisfies SendMessageConfig

export const sendMessage: NodeKind<'send-message', SendMessageConfig> = {
  kind: 'send-message',
  title: 'Send message',
  description: 'Sends text, an image, a product card and quick-reply buttons.',
  group: 'messages',
  configSchema: sendMessageConfigSchema,
  defaults: sendMessageDefaults,
  handles: () => [{ id: 'next', label: 'Then' }],
  facts: (config) => ({
    sends: 1,
    marketing: config.purpose === 'marketing',
    timing: { next: { min: 0, max: 0 } },
    opensWindow: [],
    waits: false,
    terminal: false,
    writes: [],
    hasTemplateFallback: config.whatsappTemplate !== null,
  }),
  check: (config, ctx) => [...checkMessageText(config.text, ctx), ...checkButtons(config.buttons, ctx)],
  templates: (config) => messageTemplates(config),
  compile: (config, ctx) => ({
    entry: [
      {
        type: 'emit',
        params: ({ context }) => renderSend(ctx.nodeId, config, config.purpose, context.vars),
      },
    ],
    always: [{ target: ctx.target('next') }],
  }),
}
