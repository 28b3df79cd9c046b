// The app's screens, in navigation order, with the roles that may open each. A screen appears here when it is
// built; nothing is listed that only pretends. The first screen a role may open is where that role lands.
import type { UserRole } from '@parley/api'
import { type ComponentType, lazy } from 'react'
import { AnalyticsEntry } from '../analytics/analytics-entry.tsx'
import { FlowsScreen } from '../screens/flows-screen.tsx'

// Screens load on first visit (app.tsx shows them inside Suspense): opening a flow's editor straight from a
// link downloads and parses none of them (the editor-load bench).
const InboxScreen = lazy(() => import('../inbox/inbox-screen.tsx').then((m) => ({ default: m.InboxScreen })))
const ChannelsScreen = lazy(() =>
  import('../screens/channels-screen.tsx').then((m) => ({ default: m.ChannelsScreen })),
)
const SettingsScreen = lazy(() =>
  import('../settings/settings-screen.tsx').then((m) => ({ default: m.SettingsScreen })),
)
const CatalogueScreen = lazy(() =>
  import('../screens/catalogue-screen.tsx').then((m) => ({ default: m.CatalogueScreen })),
)

export interface ScreenDefinition {
  /** The route, e.g. `/flows`; a screen also owns every route below it. */
  path: string
  /** The navigation label: plain words. */
  label: string
  roles: readonly UserRole[]
  component: ComponentType
}

export const screens: readonly ScreenDefinition[] = [
  // First: support agents land in the inbox.
  { path: '/inbox', label: 'Inbox', roles: ['owner', 'editor', 'agent'], component: InboxScreen },
  // Agents see only the Inbox; the flow behind a conversation opens read-only from its context panel.
  { path: '/flows', label: 'Flows', roles: ['owner', 'editor'], component: FlowsScreen },
  { path: '/channels', label: 'Channels', roles: ['owner'], component: ChannelsScreen },
  { path: '/settings', label: 'Settings', roles: ['owner'], component: SettingsScreen },
  { path: '/catalogue', label: 'Catalogue', roles: ['owner', 'editor'], component: CatalogueScreen },
  { path: '/analytics', label: 'Analytics', roles: ['owner', 'editor'], component: AnalyticsEntry },
]

export function screensFor(role: UserRole): ScreenDefinition[] {
  return screens.filter((s) => s.roles.includes(role))
}

/** The screen that owns `route`, whether or not the role may open it. */
export function screenForRoute(route: string): ScreenDefinition | undefined {
  return screens.find((s) => route === s.path || route.startsWith(`${s.path}/`))
}

export const roleNames: Record<UserRole, string> = {
  owner: 'Owner',
  editor: 'Editor',
  agent: 'Support agent',
}
