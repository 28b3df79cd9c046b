// A shopper sharing their own phone number on Telegram links the chat to checkouts that know them by phone.
import { describe, expect, it } from 'vitest'
import { parseTelegramUpdate } from './telegram-update.ts'

const channel = { merchantId: 'm', channelId: 'c' }
const from = { id: 42, first_name: 'Ana' }
const update = (contact: Record<string, unknown>) => ({
  update_id: 9,
  message: { message_id: 1, date: 0, chat: { id: 42, type: 'private' }, from, contact },
})

describe('Telegram shared phone number', () => {
  it("takes the sender's own shared number as their phone, in E.164", () => {
    const parsed = parseTelegramUpdate(
      update({ phone_number: '447700900222', first_name: 'Ana', user_id: 42 }),
      channel,
    )
    expect(parsed.message).toMatchObject({
      externalId: '9',
      text: '',
      sender: { externalId: '42', name: 'Ana', phone: '+447700900222' },
    })
  })

  it("ignores someone else's contact card", () => {
    expect(
      parseTelegramUpdate(update({ phone_number: '+15550001', first_name: 'Bo', user_id: 7 }), channel)
        .message,
    ).toBeNull()
    expect(
      parseTelegramUpdate(update({ phone_number: '+15550001', first_name: 'Bo' }), channel).message,
    ).toBeNull()
  })
})
