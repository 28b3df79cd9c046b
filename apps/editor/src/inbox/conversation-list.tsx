// The conversation list: only the rows in view are in the page (virtualised), so ten thousand open conversations
// scroll as smoothly as ten. Each row: the shopper, their channel, the last message, how long they have waited
// (waiting view) or when it last moved, and an unread badge. The next page loads as the end comes into view.
import type { InboxListItem, InboxView } from '@parley/api'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef } from 'react'
import { relativeTime } from '../ui/relative-time.ts'
import { CHANNEL_WORDS, contactName, statusWords, waitedFor } from './inbox-words.ts'

const ROW_HEIGHT = 76
const AUTHOR_PREFIX = { shopper: '', bot: 'Assistant: ', staff: 'Team: ', system: '' } as const

export function ConversationList({
  items,
  view,
  selectedId,
  myName,
  now,
  hasMore,
  onLoadMore,
  onOpen,
}: {
  items: InboxListItem[]
  view: InboxView
  selectedId: string | null
  myName: string
  now: number
  hasMore: boolean
  onLoadMore(): void
  onOpen(id: string): void
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  })
  const rows = virtualizer.getVirtualItems()
  const lastIndex = rows.at(-1)?.index ?? 0
  useEffect(() => {
    if (hasMore && lastIndex >= items.length - 10) onLoadMore()
  }, [hasMore, lastIndex, items.length, onLoadMore])

  // Keep the open conversation in view when j/k move through the list.
  const selectedIndex = selectedId ? items.findIndex((c) => c.id === selectedId) : -1
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' })
  }, [selectedIndex, virtualizer])

  return (
    <div ref={scroller} className="inbox-list-scroll">
      <ul className="inbox-list" aria-label="Conversations" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const c = items[row.index]!
          return (
            <li
              key={c.id}
              className="inbox-row-slot"
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              <Row
                conversation={c}
                view={view}
                selected={c.id === selectedId}
                myName={myName}
                now={now}
                onOpen={onOpen}
              />
            </li>
          )
        })}
      </ul>
    </div>
  )
}

const Row = memo(function Row({
  conversation: c,
  view,
  selected,
  myName,
  now,
  onOpen,
}: {
  conversation: InboxListItem
  view: InboxView
  selected: boolean
  myName: string
  now: number
  onOpen(id: string): void
}) {
  const when =
    view === 'waiting' && c.escalatedAt
      ? `Waiting ${waitedFor(c.escalatedAt, now)}`
      : relativeTime(c.lastMessageAt ?? c.createdAt, now)
  const last = c.lastMessage
  const preview = last ? `${AUTHOR_PREFIX[last.author]}${last.text || 'A picture'}` : 'No messages yet'
  return (
    <button
      type="button"
      className={`inbox-row${selected ? ' selected' : ''}${c.unread ? ' unread' : ''}`}
      data-conversation-id={c.id}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onOpen(c.id)}
    >
      <span className="inbox-row-top">
        <span className="inbox-row-name">{contactName(c)}</span>
        <span className={`inbox-row-when${view === 'waiting' ? ' waiting' : ''}`}>{when}</span>
      </span>
      <span className="inbox-row-preview">{preview}</span>
      <span className="inbox-row-meta">
        <span>{CHANNEL_WORDS[c.channel.kind]}</span>
        {c.queue ? <span>· {c.queue}</span> : null}
        <span>· {statusWords(c, myName)}</span>
        {c.unread ? (
          <span className="inbox-unread">
            {c.unread > 99 ? '99+' : c.unread}
            <span className="visually-hidden"> unread</span>
          </span>
        ) : null}
      </span>
    </button>
  )
})
