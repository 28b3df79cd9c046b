// Settings (owners): the store's messaging rules, the team, API keys and shoppers' privacy requests, one tab each
// (#/settings, #/settings/queues, #/settings/team, #/settings/api-keys, #/settings/privacy), and the optional
// AI answers (#/settings/ai-answers).
import { navigate, useHashRoute } from '../shell/routing.ts'
import { AiAnswersSection } from './ai-answers-section.tsx'
import { ApiKeysSection } from './api-keys-section.tsx'
import { PrivacySection } from './privacy-section.tsx'
import { QueuesSection } from './queues-section.tsx'
import { RulesForm } from './rules-form.tsx'
import { TeamSection } from './team-section.tsx'

const tabs = [
  { path: '/settings', label: 'Messaging rules', Component: RulesForm },
  { path: '/settings/queues', label: 'Queues', Component: QueuesSection },
  { path: '/settings/team', label: 'Team', Component: TeamSection },
  { path: '/settings/api-keys', label: 'API keys', Component: ApiKeysSection },
  { path: '/settings/privacy', label: 'Privacy requests', Component: PrivacySection },
  { path: '/settings/ai-answers', label: 'AI answers', Component: AiAnswersSection },
] as const

export function SettingsScreen() {
  const route = useHashRoute()
  const current = tabs.find((t) => t.path === route) ?? tabs[0]
  const { Component } = current
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="muted">
            Rules every message follows, who works in Parley, the keys your store uses, and shoppers’ privacy
            requests.
          </p>
        </div>
      </div>
      <div className="tabs settings-tabs" role="tablist" aria-label="Settings">
        {tabs.map((t) => (
          <button
            key={t.path}
            type="button"
            role="tab"
            aria-selected={t === current}
            className={`tab${t === current ? ' active' : ''}`}
            onClick={() => navigate(t.path)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={current.label}>
        <Component />
      </div>
    </>
  )
}
