// One conversation: who has it and the actions (take over, assign, hand back, resolve, reopen), the transcript
// kept live from the socket, the composer (reply, note, canned replies) and, when WhatsApp's 24-hour window has
// closed, the approved templates with their parameters and cost. Keyboard: see the `?` list (inbox-shortcuts.ts).
import {
  ApiError,
  type CannedReplyDto,
  type InboxContext,
  type InboxConversation,
  type InboxMessage,
  type InboxOptions,
  type StaffReplyRequest,
} from '@parley/api'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { Composer, type ComposerMode } from './composer.tsx'
import { ContextPanel } from './context-panel.tsx'
import { isTyping } from './inbox-shortcuts.ts'
import { CHANNEL_WORDS, contactName, statusWords } from './inbox-words.ts'
import { type TemplateChoice, TemplatePicker, type WindowClosed } from './template-picker.tsx'
import { Transcript } from './transcript.tsx'
import type { InboxEvent } from './use-inbox-socket.ts'

type Dialog = 'assign' | 'hand-back' | null

export function ConversationPane({
  conversationId,
  me,
  options,
  cannedReplies,
  now,
  subscribe,
}: {
  conversationId: string
  me: { id: string; name: string }
  options: InboxOptions | null
  cannedReplies: CannedReplyDto[]
  now: number
  subscribe(listener: (event: InboxEvent) => void): () => void
}) {
  const [conversation, setConversation] = useState<InboxConversation | null>(null)
  const [messages, setMessages] = useState<InboxMessage[]>([])
  const [context, setContext] = useState<InboxContext | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [contextError, setContextError] = useState<string | null>(null)
  const [notice, setNotice] = useState<{ tone: 'error' | 'info'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const [mode, setMode] = useState<ComposerMode>('reply')
  const [dialog, setDialog] = useState<Dialog>(null)
  const [windowClosed, setWindowClosed] = useState<WindowClosed | null>(null)
  const composerRef = useRef<HTMLTextAreaElement>(null)
  const transcriptEnd = useRef<HTMLDivElement>(null)

  const load = useCallback(() => {
    setLoadError(null)
    api.inbox.get(conversationId).then(
      (detail) => {
        setConversation(detail.conversation)
        setMessages(detail.messages)
      },
      (e) => setLoadError(errorMessage(e)),
    )
    api.inbox.context(conversationId).then(setContext, (e) => setContextError(errorMessage(e)))
    api.inbox.markRead(conversationId).catch(() => {})
  }, [conversationId])
  useEffect(() => {
    setConversation(null)
    setMessages([])
    setContext(null)
    setNotice(null)
    setWindowClosed(null)
    setDialog(null)
    load()
  }, [load])

  // Live: new and updated transcript rows, and who has the conversation now.
  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === 'conversation' && event.conversation.id === conversationId) {
          setConversation(event.conversation)
          // A new escalation or a hand-back changes what the panel shows (the run, the summary).
          api.inbox.context(conversationId).then(setContext, () => {})
        } else if (event.type === 'message' && event.conversationId === conversationId) {
          setMessages((list) => {
            const at = list.findIndex((m) => m.id === event.message.id)
            if (at >= 0) return list.map((m, i) => (i === at ? event.message : m))
            return [...list, event.message]
          })
          if (event.message.direction === 'in') api.inbox.markRead(conversationId).catch(() => {})
        }
      }),
    [subscribe, conversationId],
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new message scrolls the transcript to it
  useEffect(() => {
    transcriptEnd.current?.scrollIntoView({ block: 'end' })
  }, [messages.length])

  const mine = conversation?.status === 'assigned' && conversation.assignedUserId === me.id
  const run = async (what: () => Promise<unknown>, done?: string) => {
    setBusy(true)
    setNotice(null)
    try {
      await what()
      if (done) setNotice({ tone: 'info', text: done })
      return true
    } catch (e) {
      setNotice({ tone: 'error', text: refusalWords(e) })
      return false
    } finally {
      setBusy(false)
    }
  }

  const takeOver = () =>
    run(async () => {
      const result = await api.inbox.takeOver(conversationId)
      setConversation(result.conversation)
      setMode('reply')
      composerRef.current?.focus()
    })
  const resolve = () =>
    run(async () => setConversation((await api.inbox.resolve(conversationId)).conversation))
  const reopen = () => run(async () => setConversation((await api.inbox.reopen(conversationId)).conversation))
  const handBack = (how: 'resume' | 'end') =>
    run(
      async () => {
        setDialog(null)
        const result =
          how === 'resume'
            ? await api.inbox.handBack(conversationId)
            : await api.inbox.resolve(conversationId)
        setConversation(result.conversation)
      },
      how === 'resume'
        ? 'The assistant has the conversation again.'
        : 'Resolved: the assistant’s flow has ended.',
    )
  const assign = (to: { userId: string } | { queue: string }) =>
    run(async () => {
      setDialog(null)
      setConversation((await api.inbox.assign(conversationId, to)).conversation)
    })

  const send = async (text: string, how: ComposerMode): Promise<boolean> => {
    if (how === 'note') return run(() => api.inbox.note(conversationId, text))
    setBusy(true)
    setNotice(null)
    try {
      const result = await api.inbox.reply(conversationId, { text, clientMessageId: crypto.randomUUID() })
      if (result.status === 'skipped')
        setNotice({ tone: 'error', text: 'The reply was not sent. See the reason under it.' })
      return true
    } catch (e) {
      if (e instanceof ApiError && e.code === ('outside_window' as ApiError['code'])) {
        setWindowClosed({ message: e.message, details: e.details, text })
        return false
      }
      setNotice({ tone: 'error', text: refusalWords(e) })
      return false
    } finally {
      setBusy(false)
    }
  }
  const sendTemplate = (choice: TemplateChoice) =>
    run(async () => {
      // The template reply (handoff's contract): { template: { name, language, parameters } } instead of text.
      await api.inbox.reply(conversationId, {
        template: choice,
        clientMessageId: crypto.randomUUID(),
      } as unknown as StaffReplyRequest)
      setWindowClosed(null)
    }, 'Template sent.')

  // Conversation shortcuts; the list's own (j/k, views, search, ?) live in the screen.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event) || event.metaKey || event.ctrlKey || event.altKey || !conversation) return
      const key = event.key.toLowerCase()
      const actions: Record<string, () => void> = {
        t: () => void takeOver(),
        a: () => setDialog('assign'),
        r: () => {
          setMode('reply')
          composerRef.current?.focus()
        },
        n: () => {
          setMode('note')
          composerRef.current?.focus()
        },
        h: () => mine && setDialog('hand-back'),
        e: () => conversation.status !== 'resolved' && void resolve(),
        o: () => conversation.status === 'resolved' && void reopen(),
      }
      const action = actions[key]
      if (!action) return
      event.preventDefault()
      action()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  if (loadError) {
    return (
      <section className="inbox-pane" aria-label="Conversation">
        <div className="banner error" role="alert">
          {loadError}{' '}
          <button type="button" className="button sm" onClick={load}>
            Try again
          </button>
        </div>
      </section>
    )
  }
  if (!conversation)
    return (
      <section className="inbox-pane inbox-pane-loading" aria-label="Conversation" aria-busy="true">
        Loading the conversation…
      </section>
    )

  const staffNames = new Map((options?.staff ?? []).map((s) => [s.id, s.name]))
  const replyBlocked =
    conversation.status === 'resolved'
      ? 'This conversation is resolved. Reopen it (O) to reply.'
      : mine
        ? null
        : conversation.status === 'assigned'
          ? `${conversation.assignedUserName ?? 'A colleague'} has this conversation. Take over (T) to reply.`
          : 'Take over (T) to reply. The assistant stops while you have it.'
  return (
    <>
      <section className="inbox-pane" aria-label={`Conversation with ${contactName(conversation)}`}>
        <header className="inbox-pane-head">
          <div>
            <h2>{contactName(conversation)}</h2>
            <p className="muted">
              {CHANNEL_WORDS[conversation.channel.kind]} · {statusWords(conversation, me.name)}
              {conversation.queue ? ` · ${conversation.queue} queue` : ''}
            </p>
          </div>
          <div className="inbox-actions">
            {conversation.status === 'resolved' ? (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void reopen()}
                aria-keyshortcuts="o"
              >
                Reopen
              </button>
            ) : (
              <>
                {!mine ? (
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy}
                    onClick={() => void takeOver()}
                    aria-keyshortcuts="t"
                  >
                    Take over
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => setDialog('assign')}
                  aria-keyshortcuts="a"
                >
                  Assign…
                </button>
                {mine || conversation.status === 'waiting' ? (
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => setDialog('hand-back')}
                    aria-keyshortcuts="h"
                  >
                    Hand back…
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void resolve()}
                  aria-keyshortcuts="e"
                >
                  Resolve
                </button>
              </>
            )}
          </div>
        </header>
        {notice ? (
          <div
            className={`banner ${notice.tone === 'error' ? 'error' : 'info'}`}
            role={notice.tone === 'error' ? 'alert' : 'status'}
          >
            {notice.text}
          </div>
        ) : null}
        {dialog === 'assign' ? (
          <AssignPicker
            options={options}
            me={me}
            onPick={(to) => void assign(to)}
            onClose={() => setDialog(null)}
          />
        ) : null}
        {dialog === 'hand-back' ? (
          <div className="inbox-dialog" role="dialog" aria-label="Hand back">
            <p>What should happen next?</p>
            <button type="button" className="button primary" onClick={() => void handBack('resume')}>
              The assistant carries on the flow
            </button>
            <button type="button" className="button" onClick={() => void handBack('end')}>
              End the flow and resolve
            </button>
            <button type="button" className="button ghost" onClick={() => setDialog(null)}>
              Cancel
            </button>
          </div>
        ) : null}
        <div className="inbox-transcript-scroll">
          <Transcript
            conversationId={conversation.id}
            messages={messages}
            staffNames={staffNames}
            now={now}
          />
          <div ref={transcriptEnd} />
        </div>
        {windowClosed ? (
          <TemplatePicker
            closed={windowClosed}
            busy={busy}
            onSend={(c) => void sendTemplate(c)}
            onCancel={() => setWindowClosed(null)}
          />
        ) : null}
        <Composer
          mode={mode}
          onModeChange={setMode}
          disabledReason={replyBlocked}
          cannedReplies={cannedReplies}
          busy={busy}
          inputRef={composerRef}
          onSend={send}
        />
      </section>
      <ContextPanel conversationId={conversationId} context={context} error={contextError} />
    </>
  )
}

function AssignPicker({
  options,
  me,
  onPick,
  onClose,
}: {
  options: InboxOptions | null
  me: { id: string }
  onPick(to: { userId: string } | { queue: string }): void
  onClose(): void
}) {
  const first = useRef<HTMLButtonElement>(null)
  useEffect(() => first.current?.focus(), [])
  return (
    <div
      className="inbox-dialog"
      role="dialog"
      aria-label="Assign"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose()
      }}
    >
      {!options ? (
        <p className="muted">Loading colleagues and queues…</p>
      ) : (
        <>
          <p>Give this conversation to</p>
          <div className="inbox-dialog-choices">
            {options.staff.map((s, i) => (
              <button
                key={s.id}
                ref={i === 0 ? first : undefined}
                type="button"
                className="button"
                onClick={() => onPick({ userId: s.id })}
              >
                {s.id === me.id ? `${s.name} (you)` : s.name}
              </button>
            ))}
          </div>
          {options.queues.length ? (
            <>
              <p>or put it back in a queue</p>
              <div className="inbox-dialog-choices">
                {options.queues.map((q) => (
                  <button key={q} type="button" className="button" onClick={() => onPick({ queue: q })}>
                    {q} queue
                  </button>
                ))}
              </div>
            </>
          ) : null}
        </>
      )}
      <button type="button" className="button ghost" onClick={onClose}>
        Cancel
      </button>
    </div>
  )
}

/** A refusal in words: a colleague who won the race is named (409 `taken`, details.by.name). */
export function refusalWords(error: unknown): string {
  if (error instanceof ApiError && error.status === 409) {
    const by = (error.details as { by?: { name?: unknown } } | undefined)?.by?.name
    if (typeof by === 'string' && by) return `${by} has this conversation`
  }
  return errorMessage(error)
}
