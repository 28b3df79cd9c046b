// Offer incentive: a discount code and the message that carries it.
import { NumberInput, SelectInput, TemplateInput, TextInput } from '../inspector/fields.tsx'
import { MessagePreview } from '../inspector/message-preview.tsx'
import { previewVars } from '../simulator/sample-data.ts'
import { LinkButtonEditor, ProductCardEditor, TemplateFallbackEditor } from './message-fields.tsx'
import type { NodeUi } from './node-ui.tsx'
import { MessageSummary } from './send-message.tsx'

export const offerIncentiveUi: NodeUi<'offer-incentive'> = {
  icon: '%',
  Summary: ({ config }) => (
    <MessageSummary
      text={config.text}
      extras={[
        `${config.code || 'no code'} · ${config.discount.type === 'percent' ? `${config.discount.value}% off` : `${config.discount.value} off`}`,
      ]}
    />
  ),
  Inspector: ({ config, onChange }) => {
    const incentive =
      config.discount.type === 'percent'
        ? { code: config.code, percentOff: config.discount.value }
        : { code: config.code, amountOff: config.discount.value }
    return (
      <div className="form">
        <TextInput
          label="Discount code"
          value={config.code}
          onChange={(code) => onChange({ ...config, code })}
          placeholder="COMEBACK10"
        />
        <div className="row">
          <SelectInput
            label="Discount"
            value={config.discount.type}
            options={[
              ['percent', 'Percent off'],
              ['amount', 'Amount off'],
            ]}
            onChange={(type) => onChange({ ...config, discount: { ...config.discount, type } })}
          />
          <NumberInput
            label="Value"
            value={config.discount.value}
            min={0}
            onChange={(value) => onChange({ ...config, discount: { ...config.discount, value } })}
          />
        </div>
        <TemplateInput
          label="Message"
          multiline
          value={config.text}
          onChange={(text) => onChange({ ...config, text })}
        />
        <TemplateInput
          label="Image URL"
          value={config.imageUrl}
          onChange={(imageUrl) => onChange({ ...config, imageUrl })}
          placeholder="Optional"
        />
        <MessagePreview message={config} vars={previewVars({ incentive })} />
        <ProductCardEditor
          product={config.product}
          onChange={(product) => onChange({ ...config, product })}
        />
        <LinkButtonEditor link={config.link} onChange={(link) => onChange({ ...config, link })} />
        <TemplateFallbackEditor
          template={config.whatsappTemplate}
          onChange={(whatsappTemplate) => onChange({ ...config, whatsappTemplate })}
        />
      </div>
    )
  },
}
