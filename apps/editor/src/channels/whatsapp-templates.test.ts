import type { ChannelList, WhatsAppTemplate } from '@parley/api'
import { describe, expect, it } from 'vitest'
import { approvedTemplates, chooseTemplate } from './whatsapp-templates.ts'

const template = (over: Partial<WhatsAppTemplate>): WhatsAppTemplate => ({
  name: 'cart_reminder',
  language: 'en',
  category: 'MARKETING',
  status: 'APPROVED',
  body: 'Hi {{1}}, your {{2}} is waiting',
  parameters: 2,
  ...over,
})

const channel = (over: object) =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'whatsapp',
    name: 'WhatsApp',
    state: 'connected',
    setup: { templates: [] },
    ...over,
  }) as unknown as ChannelList['channels'][number]

describe('approved WhatsApp templates for the inspector', () => {
  it('lists only approved templates of connected WhatsApp numbers, each name and language once, by name', () => {
    const list = approvedTemplates([
      channel({
        setup: {
          templates: [
            template({ name: 'order_update', category: 'UTILITY' }),
            template({ name: 'pending_one', status: 'PENDING' }),
            template({}),
            template({ language: 'de' }),
          ],
        },
      }),
      channel({ state: 'disconnected', setup: { templates: [template({ name: 'old_number' })] } }),
      channel({ kind: 'telegram', setup: {} }),
      channel({ setup: { templates: [template({})] } }),
    ])
    expect(list.map((t) => `${t.name}/${t.language}`)).toEqual([
      'cart_reminder/de',
      'cart_reminder/en',
      'order_update/en',
    ])
  })

  it('choosing one sets name, language and lower-case category, and as many parameters as it takes', () => {
    const current = {
      name: 'x',
      language: 'pt',
      category: 'utility' as const,
      params: ['{{contact.first_name}}'],
    }
    expect(chooseTemplate(template({ parameters: 3 }), current)).toEqual({
      name: 'cart_reminder',
      language: 'en',
      category: 'marketing',
      params: ['{{contact.first_name}}', '', ''],
    })
    expect(chooseTemplate(template({ parameters: 0, category: 'UTILITY' }), current)).toEqual({
      name: 'cart_reminder',
      language: 'en',
      category: 'utility',
      params: [],
    })
  })
})
