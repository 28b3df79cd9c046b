// Send message: text with {{variables}}, an optional image, product card and quick-reply buttons,
// and the WhatsApp template to use when the 24-hour window is closed. A message with buttons waits
// for the answer: each button is its own output, typed text goes to "Anything else".
import { z } from 'zod'
import { durationSchema, durationToMs } from '../duration.ts'
import {
  buttonSchema,
  cardListSchema,
  checkButtons,
  checkMessageText,
  linkButtonSchema,
  MAX_BUTTONS,
  messageTemplates,
  productCardSchema,
  renderSend,
  sendPurposeSchema,
  templateFallbackSchema,
} from './message-parts.ts'
import { storeReply } from './reply-match.ts'
import type { ActionSpec, NodeKind, OutputHandle, TimeRange, TransitionSpec } from './types.ts'

export const sendMessageConfigSchema = z.object({
  text: z.string().max(4096),
  imageUrl: z.string().max(2000),
  product: productCardSchema.nullable(),
  /** A card for each entry of a list, e.g. every item in the cart (side by side where the channel can). */
  cards: cardListSchema.nullable(),
  buttons: z.array(buttonSchema).max(MAX_BUTTONS),
  /** A button that opens a page ("Return to cart"). */
  link: linkButtonSchema.nullable(),
  purpose: sendPurposeSchema,
  whatsappTemplate: templateFallbackSchema.nullable(),
  /** With buttons: how long to wait for a tap or an answer before "No reply"; null waits as long as the run lives. */
  replyTimeout: durationSchema.nullable(),
})
export type SendMessageConfig = z.infer<typeof sendMessageConfigSchema>

export const sendMessageDefaults = {
  text: '',
  imageUrl: '',
  product: null,
  cards: null,
  buttons: [],
  link: null,
  purpose: 'service',
  whatsappTemplate: null,
  replyTimeout: { amount: 1, unit: 'days' },
} as const satisfies SendMessageConfig

/** Handle ids a button can never take: the free-text and timeout outputs. */
export const SEND_RESERVED_HANDLES = ['anything', 'timeout', 'next'] as const

/** A message with buttons waits for the shopper's answer and branches on it. */
export function asksForReply(config: Pick<SendMessageConfig, 'buttons'>): boolean {
  return config.buttons.length > 0
}

export const sendMessage: NodeKind<'send-message', SendMessageConfig> = {
  kind: 'send-message',
  title: 'Send message',
  description: 'Sends text, an image, a product card and quick-reply buttons.',
  group: 'messages',
  configSchema: sendMessageConfigSchema,
  defaults: sendMessageDefaults,
  handles: (config) => {
    if (!asksForReply(config)) return [{ id: 'next', label: 'Then' }]
    const handles: OutputHandle[] = config.buttons.map((b) => ({
      id: b.id,
      label: b.title || 'Button',
      button: true as const,
    }))
    handles.push({ id: 'anything', label: 'Anything else' })
    if (config.replyTimeout) handles.push({ id: 'timeout', label: 'No reply' })
    return handles
  },
  facts: (config) => {
    const common = {
      sends: 1,
      marketing: config.purpose === 'marketing',
      terminal: false,
      hasTemplateFallback: config.whatsappTemplate !== null,
    }
    if (!asksForReply(config)) {
      return { ...common, timing: { next: { min: 0, max: 0 } }, opensWindow: [], waits: false, writes: [] }
    }
    const timeoutMs = config.replyTimeout ? durationToMs(config.replyTimeout) : Number.POSITIVE_INFINITY
    const replyWindow: TimeRange = { min: 0, max: timeoutMs }
    const timing: Record<string, TimeRange> = { anything: replyWindow }
    for (const button of config.buttons) timing[button.id] = replyWindow
    if (config.replyTimeout) timing.timeout = { min: timeoutMs, max: timeoutMs }
    return {
      ...common,
      timing,
      opensWindow: [...config.buttons.map((b) => b.id), 'anything'],
      waits: true,
      writes: ['reply'],
    }
  },
  check: (config, ctx) => {
    const issues = [...checkMessageText(config.text, ctx), ...checkButtons(config.buttons, ctx)]
    if (config.buttons.some((b) => (SEND_RESERVED_HANDLES as readonly string[]).includes(b.id))) {
      issues.push({
        severity: 'error',
        code: 'duplicate_button',
        message: `A button in '${ctx.nodeLabel}' uses a name kept for the other answers; rename it`,
        nodeId: ctx.nodeId,
      })
    }
    if (asksForReply(config) && config.replyTimeout && !(durationToMs(config.replyTimeout) > 0)) {
      issues.push({
        severity: 'error',
        code: 'non_positive_delay',
        message: `'${ctx.nodeLabel}' must wait longer than 0 ${config.replyTimeout.unit} for an answer`,
        nodeId: ctx.nodeId,
      })
    }
    return issues
  },
  templates: (config) => messageTemplates(config),
  compile: (config, ctx) => {
    const entry: ActionSpec[] = [
      {
        type: 'emit',
        params: ({ context }) => renderSend(ctx.nodeId, config, config.purpose, context.vars),
      },
    ]
    if (!asksForReply(config)) return { entry, always: [{ target: ctx.target('next') }] }
    // A tap carries the button's id; a typed title counts as the tap (WhatsApp users often type it).
    const onMessage: TransitionSpec[] = config.buttons.map((button) => ({
      guard: {
        type: 'replyMatches',
        params: { buttonIds: [button.id], titles: [button.title], keywords: [] },
      },
      target: ctx.target(button.id),
      actions: [storeReply],
    }))
    onMessage.push({ target: ctx.target('anything'), actions: [storeReply] })
    const timeout = config.replyTimeout
    return {
      entry,
      on: { 'message.received': onMessage },
      ...(timeout
        ? {
            after: {
              [ctx.delay('timeout', () => Math.max(0, durationToMs(timeout)))]: [
                { target: ctx.target('timeout') },
              ],
            },
          }
        : {}),
    }
  },
}
