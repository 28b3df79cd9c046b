// The Inbox: where support agents land. The conversation list (views, queue and channel filters, search, unread
// badges) kept live over the staff socket, the open conversation with its context, the waiting count in the tab
// title, and an optional sound when someone starts waiting (off unless turned on, remembered per browser).
import './inbox.css'
import type { CannedReplyDto, InboxListItem, InboxOptions, InboxView } from '@parley/api'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { navigate, useHashRoute } from '../shell/routing.ts'
import { useCan, useSession } from '../shell/session-context.ts'
import { CannedRepliesManager } from './canned-replies-manager.tsx'
import { ConversationList } from './conversation-list.tsx'
import { ConversationPane } from './conversation-pane.tsx'
import { isTyping, SHORTCUTS } from './inbox-shortcuts.ts'
import { belongsTo, compareIn, VIEWS } from './inbox-words.ts'
import { type InboxEvent, useInboxSocket } from './use-inbox-socket.ts'

const SOUND_KEY = 'parley.inbox.sound'

export function InboxScreen() {
  const session = useSession()
  const me = { id: session.user.id, name: session.user.name || session.user.email }
  const canEditReplies = useCan('owner', 'editor')
  const route = useHashRoute()
  const selectedId = /^\/inbox\/([0-9a-f-]{36})$/.exec(route)?.[1] ?? null
  const [view, setView] = useState<InboxView>('waiting')
  const [queue, setQueue] = useState('')
  const [channelId, setChannelId] = useState('')
  const [searchText, setSearchText] = useState('')
  const [search, setSearch] = useState('')
  const [items, setItems] = useState<InboxListItem[] | null>(null)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [counts, setCounts] = useState({ waiting: 0, mine: 0 })
  const [error, setError] = useState<string | null>(null)
  const [options, setOptions] = useState<InboxOptions | null>(null)
  const [cannedReplies, setCannedReplies] = useState<CannedReplyDto[]>([])
  const [sound, setSound] = useState(() => localStorage.getItem(SOUND_KEY) === 'on')
  const [help, setHelp] = useState(false)
  const [managing, setManaging] = useState(false)
  // Read at each render, by the server's clock (a demo's dev clock may be days ahead of the device's).
  const [, setTick] = useState(0)
  const now = api.now()
  const searchRef = useRef<HTMLInputElement>(null)
  const listeners = useRef(new Set<(event: InboxEvent) => void>())
  const loadingMore = useRef(false)

  const filters = {
    view,
    queue: queue || undefined,
    channelId: channelId || undefined,
    q: search || undefined,
  }
  const filterKey = JSON.stringify(filters)
  const load = useCallback(() => {
    setError(null)
    api.inbox.list({ ...(JSON.parse(filterKey) as typeof filters), limit: 100 }).then(
      (page) => {
        setItems(page.conversations)
        setNextCursor(page.nextCursor)
        setCounts(page.counts)
      },
      (e) => setError(errorMessage(e)),
    )
  }, [filterKey])
  useEffect(() => {
    setItems(null)
    load()
  }, [load])

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore.current) return
    loadingMore.current = true
    api.inbox
      .list({ ...(JSON.parse(filterKey) as typeof filters), limit: 100, cursor: nextCursor })
      .then(
        (page) => {
          setItems((list) => {
            const seen = new Set((list ?? []).map((c) => c.id))
            return [...(list ?? []), ...page.conversations.filter((c) => !seen.has(c.id))]
          })
          setNextCursor(page.nextCursor)
        },
        (e) => setError(errorMessage(e)),
      )
      .finally(() => {
        loadingMore.current = false
      })
  }, [nextCursor, filterKey])

  const loadOptions = useCallback(() => {
    api.inbox.options().then(setOptions, () => {})
    api.cannedReplies.list().then(
      (r) => setCannedReplies(r.cannedReplies),
      () => {},
    )
  }, [])
  useEffect(loadOptions, [loadOptions])

  // Waiting times and "5 min ago" move on by themselves.
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 30_000)
    return () => clearInterval(timer)
  }, [])

  // Counts come from the server (they span every page and filter); a burst of events asks once.
  const countsTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const refreshCounts = useCallback(() => {
    clearTimeout(countsTimer.current)
    countsTimer.current = setTimeout(() => {
      api.inbox.list({ view: 'waiting', limit: 1 }).then(
        (page) => setCounts(page.counts),
        () => {},
      )
    }, 300)
  }, [])

  const soundRef = useRef(sound)
  soundRef.current = sound
  const onEvent = useCallback(
    (event: InboxEvent) => {
      for (const listener of listeners.current) listener(event)
      if (event.type === 'message') {
        setItems((list) =>
          list === null
            ? null
            : list.map((c) =>
                c.id === event.conversationId
                  ? {
                      ...c,
                      lastMessageAt: event.message.createdAt,
                      lastMessage: {
                        id: event.message.id,
                        direction: event.message.direction,
                        author: event.message.author,
                        text: typeof event.message.body.text === 'string' ? event.message.body.text : '',
                        createdAt: event.message.createdAt,
                      },
                      // A shopper's new message, unless it is the open conversation (read as it arrives).
                      unread:
                        event.message.direction === 'in' &&
                        c.id !== selectedIdRef.current &&
                        c.lastMessage?.id !== event.message.id
                          ? c.unread + 1
                          : c.unread,
                    }
                  : c,
              ),
        )
        return
      }
      const updated = event.conversation
      if (search) {
        // A search is the server's to answer: ask again rather than guess what matches.
        load()
      } else {
        setItems((list) => {
          if (!list) return list
          const existing = list.find((c) => c.id === updated.id)
          const rest = list.filter((c) => c.id !== updated.id)
          const matches =
            belongsTo(view, updated, me.id) &&
            (!queue || updated.queue === queue) &&
            (!channelId || updated.channel.id === channelId)
          if (!matches) return rest
          if (!existing && updated.status === 'waiting' && soundRef.current) chime()
          return [...rest, { ...updated, unread: existing?.unread ?? 0 }].sort(compareIn(view))
        })
      }
      refreshCounts()
    },
    [search, load, view, me.id, queue, channelId, refreshCounts],
  )
  const selectedIdRef = useRef(selectedId)
  selectedIdRef.current = selectedId
  const socket = useInboxSocket(onEvent, () => {
    load()
    loadOptions()
  })
  const subscribe = useCallback((listener: (event: InboxEvent) => void) => {
    listeners.current.add(listener)
    return () => {
      listeners.current.delete(listener)
    }
  }, [])

  // The tab title shows how many shoppers wait for a person.
  useEffect(() => {
    const before = document.title
    document.title = counts.waiting > 0 ? `(${counts.waiting}) Inbox · Parley` : 'Inbox · Parley'
    return () => {
      document.title = before
    }
  }, [counts.waiting])

  // Search as the agent types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText.trim()), 250)
    return () => clearTimeout(timer)
  }, [searchText])

  const open = useCallback((id: string) => {
    navigate(`/inbox/${id}`)
    setItems((list) => (list === null ? null : list.map((c) => (c.id === id ? { ...c, unread: 0 } : c))))
  }, [])

  // List shortcuts (the open conversation's are in its pane).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setHelp(false)
      if (isTyping(event) || event.metaKey || event.ctrlKey || event.altKey) return
      if (event.key === '?') {
        event.preventDefault()
        setHelp((h) => !h)
      } else if (event.key === '/') {
        event.preventDefault()
        searchRef.current?.focus()
      } else if (event.key === 'j' || event.key === 'k') {
        if (!items?.length) return
        const at = items.findIndex((c) => c.id === selectedId)
        const next = event.key === 'j' ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1)
        open(items[next]!.id)
      } else if (['1', '2', '3', '4'].includes(event.key)) {
        setView(VIEWS[Number(event.key) - 1]!.view)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [items, selectedId, open])

  const current = VIEWS.find((v) => v.view === view)!
  return (
    <div className="inbox">
      <div className="inbox-sidebar">
        <div className="inbox-sidebar-head">
          <h1>Inbox</h1>
          <span className={`inbox-live ${socket}`} role="status">
            {socket === 'live' ? 'Live' : socket === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          </span>
        </div>
        <div className="inbox-views" role="tablist" aria-label="Views">
          {VIEWS.map((v, i) => (
            <button
              key={v.view}
              type="button"
              role="tab"
              aria-selected={v.view === view}
              aria-keyshortcuts={String(i + 1)}
              onClick={() => setView(v.view)}
            >
              {v.label}
              {v.view === 'waiting' && counts.waiting ? (
                <span className="inbox-count">{counts.waiting}</span>
              ) : null}
              {v.view === 'mine' && counts.mine ? <span className="inbox-count">{counts.mine}</span> : null}
            </button>
          ))}
        </div>
        <div className="inbox-filters">
          <input
            ref={searchRef}
            type="search"
            className="input"
            aria-label="Search by name, phone, email, order number or message"
            placeholder="Search name, phone, email, order, message"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') e.currentTarget.blur()
            }}
          />
          <select
            className="input"
            aria-label="Queue"
            value={queue}
            onChange={(e) => setQueue(e.target.value)}
          >
            <option value="">All queues</option>
            {options?.queues.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
          <select
            className="input"
            aria-label="Channel"
            value={channelId}
            onChange={(e) => setChannelId(e.target.value)}
          >
            <option value="">All channels</option>
            {options?.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        {error ? (
          <div className="banner error" role="alert">
            {error}{' '}
            <button type="button" className="button sm" onClick={load}>
              Try again
            </button>
          </div>
        ) : items === null ? (
          <p className="inbox-list-state" aria-busy="true">
            Loading conversations…
          </p>
        ) : items.length === 0 ? (
          <p className="inbox-list-state">{search ? `Nothing matches “${search}”.` : current.empty}</p>
        ) : (
          <ConversationList
            items={items}
            view={view}
            selectedId={selectedId}
            myName={me.name}
            now={now}
            hasMore={nextCursor !== null}
            onLoadMore={loadMore}
            onOpen={open}
          />
        )}
        <div className="inbox-sidebar-foot">
          <label>
            <input
              type="checkbox"
              checked={sound}
              onChange={(e) => {
                setSound(e.target.checked)
                localStorage.setItem(SOUND_KEY, e.target.checked ? 'on' : 'off')
              }}
            />{' '}
            Sound when someone starts waiting
          </label>
          {canEditReplies ? (
            <button type="button" className="button ghost sm" onClick={() => setManaging(true)}>
              Canned replies
            </button>
          ) : null}
          <button
            type="button"
            className="button ghost sm"
            onClick={() => setHelp(true)}
            aria-keyshortcuts="?"
          >
            Shortcuts (?)
          </button>
        </div>
      </div>
      {selectedId ? (
        <ConversationPane
          key={selectedId}
          conversationId={selectedId}
          me={me}
          options={options}
          cannedReplies={cannedReplies}
          now={now}
          subscribe={subscribe}
        />
      ) : (
        <section className="inbox-pane inbox-pane-empty" aria-label="Conversation">
          <h2>Pick a conversation</h2>
          <p className="muted">
            {counts.waiting
              ? `${counts.waiting} ${counts.waiting === 1 ? 'shopper is' : 'shoppers are'} waiting for a person.`
              : 'Nobody is waiting for a person right now.'}{' '}
            Press ? for keyboard shortcuts.
          </p>
        </section>
      )}
      {help ? (
        <div className="inbox-help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
          <h2>Keyboard shortcuts</h2>
          <dl>
            {SHORTCUTS.map((s) => (
              <div key={s.keys}>
                <dt>
                  <kbd>{s.keys}</kbd>
                </dt>
                <dd>{s.does}</dd>
              </div>
            ))}
          </dl>
          <button ref={(el) => el?.focus()} type="button" className="button" onClick={() => setHelp(false)}>
            Close
          </button>
        </div>
      ) : null}
      {managing ? (
        <CannedRepliesManager
          replies={cannedReplies}
          onChange={setCannedReplies}
          onClose={() => setManaging(false)}
        />
      ) : null}
    </div>
  )
}

/** A short, quiet two-tone chime (no audio file to load). */
function chime() {
  try {
    const audio = new AudioContext()
    for (const [i, frequency] of [660, 880].entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.frequency.value = frequency
      gain.gain.value = 0.05
      osc.connect(gain).connect(audio.destination)
      osc.start(audio.currentTime + i * 0.15)
      osc.stop(audio.currentTime + i * 0.15 + 0.12)
    }
  } catch {
    // No audio (autoplay rules, no device): the list and the title still say it.
  }
}
