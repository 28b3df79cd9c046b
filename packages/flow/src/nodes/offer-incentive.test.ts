import { describe, expect, it } from 'vitest'
import { checkNode, runNode } from './node-test-kit.ts'
import { offerIncentive, offerIncentiveDefaults } from './offer-incentive.ts'

describe('offer-incentive', () => {
  it('parses its defaults and is a marketing send that writes the incentive', () => {
    expect(offerIncentive.configSchema.parse(offerIncentiveDefaults)).toEqual(offerIncentiveDefaults)
    expect(offerIncentive.handles(offerIncentiveDefaults).map((h) => h.id)).toEqual(['next'])
    expect(offerIncentive.facts(offerIncentiveDefaults)).toMatchObject({
      sends: 1,
      marketing: true,
      writes: ['incentive'],
    })
  })

  it('needs a code and a sensible discount', () => {
    expect(checkNode('offer-incentive', {}).map((i) => i.message)).toEqual(["'Step' needs a discount code"])
    expect(
      checkNode('offer-incentive', { code: 'X', discount: { type: 'percent', value: 120 } }).map(
        (i) => i.message,
      ),
    ).toEqual(["The discount in 'Step' must be between 1% and 100%"])
    expect(
      checkNode('offer-incentive', { code: 'X', discount: { type: 'amount', value: 0 } }).map((i) => i.code),
    ).toEqual(['invalid_discount'])
  })

  it('sends the offer with the code and reports it to the host', () => {
    const run = runNode(
      'offer-incentive',
      {
        code: 'SAVE5',
        discount: { type: 'amount', value: 5 },
        text: '{{contact.name}}: {{incentive.amountOff}} off with {{incentive.code}}',
      },
      { vars: { contact: { name: 'Li' } } },
    )
    expect(run.last.effects).toEqual([
      { type: 'send', nodeId: 'n', purpose: 'marketing', message: { text: 'Li: 5 off with SAVE5' } },
      { type: 'incentive.offered', nodeId: 'n', code: 'SAVE5', amountOff: 5 },
    ])
    expect((run.snapshot.context as { vars: Record<string, unknown> }).vars.incentive).toEqual({
      code: 'SAVE5',
      amountOff: 5,
    })
    expect(run.outcome).toBe('next')
  })
})
