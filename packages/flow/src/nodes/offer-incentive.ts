// Offer incentive: send a personalised discount code and tell the host it was offered (for analytics
// and to mark the code used by this contact). The offer is kept in `incentive` for later messages.
import { z } from 'zod'
import type { IncentiveOfferedEffect } from '../effects.ts'
import {
  checkMessageText,
  linkButtonSchema,
  messageTemplates,
  productCardSchema,
  renderSend,
  templateFallbackSchema,
} from './message-parts.ts'
import type { FlowIssue, NodeKind } from './types.ts'

export const offerIncentiveConfigSchema = z.object({
  code: z.string().max(64),
  discount: z.object({ type: z.enum(['percent', 'amount']), value: z.number().finite() }),
  /** May use {{incentive.code}}, {{incentive.percentOff}} / {{incentive.amountOff}}. */
  text: z.string().max(4096),
  imageUrl: z.string().max(2000),
  product: productCardSchema.nullable(),
  /** A button that opens a page ("Return to cart"). */
  link: linkButtonSchema.nullable(),
  whatsappTemplate: templateFallbackSchema.nullable(),
})
export type OfferIncentiveConfig = z.infer<typeof offerIncentiveConfigSchema>

export const offerIncentiveDefaults = {
  code: '',
  discount: { type: 'percent', value: 10 },
  text: 'Here is {{incentive.percentOff}}% off your cart with the code {{incentive.code}}.',
  imageUrl: '',
  product: null,
  link: null,
  whatsappTemplate: null,
} as const satisfies OfferIncentiveConfig

function incentiveOf(nodeId: string, config: OfferIncentiveConfig): IncentiveOfferedEffect {
  const effect: IncentiveOfferedEffect = { type: 'incentive.offered', nodeId, code: config.code.trim() }
  if (config.discount.type === 'percent') effect.percentOff = config.discount.value
  else effect.amountOff = config.discount.value
  return effect
}

export const offerIncentive: NodeKind<'offer-incentive', OfferIncentiveConfig> = {
  kind: 'offer-incentive',
  title: 'Offer incentive',
  description: 'Sends a discount code to win the shopper back.',
  group: 'actions',
  configSchema: offerIncentiveConfigSchema,
  defaults: offerIncentiveDefaults,
  handles: () => [{ id: 'next', label: 'Then' }],
  facts: (config) => ({
    sends: 1,
    marketing: true,
    timing: { next: { min: 0, max: 0 } },
    opensWindow: [],
    waits: false,
    terminal: false,
    writes: ['incentive'],
    hasTemplateFallback: config.whatsappTemplate !== null,
  }),
  check: (config, ctx) => {
    const issues: FlowIssue[] = [...checkMessageText(config.text, ctx)]
    if (config.code.trim() === '') {
      issues.push({
        severity: 'error',
        code: 'missing_discount_code',
        message: `'${ctx.nodeLabel}' needs a discount code`,
        nodeId: ctx.nodeId,
      })
    }
    const { type, value } = config.discount
    if (!(value > 0) || (type === 'percent' && value > 100)) {
      issues.push({
        severity: 'error',
        code: 'invalid_discount',
        message:
          type === 'percent'
            ? `The discount in '${ctx.nodeLabel}' must be between 1% and 100%`
            : `The discount in '${ctx.nodeLabel}' must be more than 0`,
        nodeId: ctx.nodeId,
      })
    }
    return issues
  },
  templates: (config) => messageTemplates(config),
  compile: (config, ctx) => {
    const offered = incentiveOf(ctx.nodeId, config)
    const { type: _type, nodeId: _nodeId, ...incentive } = offered
    return {
      entry: [
        { type: 'setVar', params: { name: 'incentive', value: incentive } },
        {
          type: 'emit',
          params: ({ context }) => renderSend(ctx.nodeId, config, 'marketing', context.vars),
        },
        { type: 'emit', params: offered },
      ],
      always: [{ target: ctx.target('next') }],
    }
  },
}
