// What one runtime process keeps in memory between requests: the inbound group commit, the hubs of the live
// sockets it holds, the compiled flow versions and the visitor tokens it verified. Built with the deps (server.ts, createTestDeps), not as module
// singletons, so its lifetime is the deps' and another set of deps (a replica in a test) has its own.
import { createVerifiedVisitorTokens } from './channels/webchat/visitor-token.ts'
import { WebchatHub } from './channels/webchat/webchat-hub.ts'
import type { RuntimeDeps } from './deps.ts'
import { createFlowVersionCache } from './engine/flow-versions.ts'
import { createInboundBatcher } from './engine/inbound.ts'
import { InboxHub } from './inbox/inbox-hub.ts'
import { TypingSignals } from './realtime/typing-signals.ts'

export type ProcessState = Pick<
  RuntimeDeps,
  'flowVersions' | 'inbound' | 'webchatHub' | 'inboxHub' | 'typing' | 'visitorTokens'
>

/**
 * The deps with per-process state of their own. The group commit and the hubs hold the db, config and realtime
 * they were built with, so they are always built anew; compiled flow versions are kept when `base` has them
 * (a published version never changes).
 * @example const replica = withProcessState({ ...t.deps, db: other.db, realtime: otherRealtime })
 */
export function withProcessState(
  base: Omit<RuntimeDeps, keyof ProcessState> & Partial<ProcessState>,
): RuntimeDeps {
  const deps: RuntimeDeps = {
    ...base,
    flowVersions: base.flowVersions ?? createFlowVersionCache(),
    inbound: createInboundBatcher(base.config, () => deps),
    webchatHub: new WebchatHub(base),
    inboxHub: new InboxHub(base),
    typing: new TypingSignals(base),
    visitorTokens: createVerifiedVisitorTokens(),
  }
  return deps
}
