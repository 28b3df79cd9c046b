// The approved WhatsApp templates synced from Meta (Channels screen → "Get templates from Meta"), for the message
// inspector: a merchant picks a template by name and fills its parameters instead of typing Meta's names.
import type { ChannelList, WhatsAppTemplate } from '@parley/api'
import type { NodeConfig } from '@parley/flow'
import { useMemo } from 'react'
import { useChannelList } from './connected-channels.ts'

export type TemplateFallback = NonNullable<NodeConfig<'send-message'>['whatsappTemplate']>
const CATEGORIES = ['marketing', 'utility', 'authentication'] as const

/** Approved templates of the connected WhatsApp numbers, by name and language, each once. */
export function approvedTemplates(channels: ChannelList['channels']): WhatsAppTemplate[] {
  const seen = new Map<string, WhatsAppTemplate>()
  for (const channel of channels) {
    if (channel.kind !== 'whatsapp' || channel.state === 'disconnected') continue
    for (const template of channel.setup?.templates ?? []) {
      if (template.status.toUpperCase() !== 'APPROVED') continue
      seen.set(`${template.name}\u0000${template.language}`, template)
    }
  }
  return [...seen.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language),
  )
}

/** The step's template settings after choosing `template`: its name, language and category, and as many
 * parameters as it takes (what was typed for the first ones is kept). */
export function chooseTemplate(
  template: WhatsAppTemplate,
  current: TemplateFallback | null,
): TemplateFallback {
  const category = CATEGORIES.find((c) => c === template.category.toLowerCase()) ?? 'marketing'
  const params = Array.from({ length: template.parameters }, (_, i) => current?.params[i] ?? '')
  return { name: template.name, language: template.language, category, params }
}

/** The approved templates, or null while loading or when they could not be read. */
export function useApprovedTemplates(): WhatsAppTemplate[] | null {
  const channels = useChannelList()
  return useMemo(() => channels && approvedTemplates(channels), [channels])
}
