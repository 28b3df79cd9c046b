import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { CENSOR, createLogger, type LogLevel } from './logger.ts'

function captured(level: LogLevel | 'silent' = 'debug') {
  const chunks: string[] = []
  const logger = createLogger(level, { destination: { write: (line: string) => void chunks.push(line) } })
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { logger, lines, raw: () => chunks.join('') }
}

const BOT_TOKEN = '7301234567:AAH4kx9QzSECRETsecretSECRETsecret_Zq'
const TEXT = 'my address is 12 Rose Lane, please hurry'

describe('createLogger (pino)', () => {
  it('writes one JSON line per call with an ISO time, the level name, the message and the fields', () => {
    const { logger, lines } = captured('info')
    logger.debug('not at info')
    logger.info('run started', { runId: 'r-1', count: 2 })
    logger.child({ component: 'relay' }).warn('slow', { ms: 12 })
    expect(lines()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        msg: 'run started',
        runId: 'r-1',
        count: 2,
      },
      { level: 'warn', time: expect.any(String), msg: 'slow', component: 'relay', ms: 12 },
    ])
  })

  it('at warn, writes warnings and errors (scrubbed) and nothing below, from children as well', () => {
    const { logger, lines } = captured('warn')
    const child = logger.child({ component: 'relay' })
    logger.debug('a debug line')
    logger.info('http request', { status: 200 })
    child.info('a child info line')
    logger.warn(`calling /bot${BOT_TOKEN}/sendMessage`)
    child.error('failed', { status: 500 })
    expect(lines()).toEqual([
      { level: 'warn', time: expect.any(String), msg: `calling /bot${CENSOR}/sendMessage` },
      { level: 'error', time: expect.any(String), msg: 'failed', component: 'relay', status: 500 },
    ])
  })

  it('writes nothing when silent', () => {
    const { logger, raw } = captured('silent')
    logger.error('boom', { error: new Error('x') })
    expect(raw()).toBe('')
  })

  it('never writes secrets or message text, at any depth a field reaches', () => {
    const { logger, raw, lines } = captured()
    logger.info('webhook', {
      headers: {
        authorization: 'Bearer sk_live_0123456789abcdef',
        cookie: 'parley_session=s3ss10n-c00kie',
        'x-telegram-bot-api-secret-token': 'tg-webhook-secret-42',
      },
      channel: {
        id: 'c-1',
        config: { botToken: BOT_TOKEN, webhookSecret: 'wh-secret-99', appSecret: 'app-s3cret' },
      },
      user: { email: 'a@b.c', password: 'hunter2-hunter2', passwordHash: 'scrypt$abc' },
      apiKey: 'pk_0123456789',
      message: { id: 'm-1', body: { text: TEXT } },
      update: { message: { chat: { id: 5 }, text: TEXT, caption: TEXT } },
      payload: `{"text":"${TEXT}"}`,
    })
    const out = raw()
    for (const secret of [
      'sk_live_0123456789abcdef',
      's3ss10n-c00kie',
      'tg-webhook-secret-42',
      BOT_TOKEN,
      'wh-secret-99',
      'app-s3cret',
      'hunter2',
      'scrypt$abc',
      'pk_0123456789',
      'Rose Lane',
    ]) {
      expect(out).not.toContain(secret)
    }
    const [line] = lines()
    expect(line).toMatchObject({
      headers: { authorization: CENSOR, cookie: CENSOR },
      channel: { id: 'c-1', config: { botToken: CENSOR } },
      user: { email: 'a@b.c', password: CENSOR },
      message: { id: 'm-1', body: CENSOR },
      update: { message: { chat: { id: 5 }, text: CENSOR } },
    })
  })

  it('logs errors with type, message and stack, secrets scrubbed from them, and nothing a library hung on them', () => {
    const { logger, raw, lines } = captured()
    const error = Object.assign(
      new Error(
        `request to https://api.telegram.org/bot${BOT_TOKEN}/sendMessage failed (Bearer abc.def-ghi)`,
      ),
      { code: 'ECONNRESET', request: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } } },
    )
    logger.error('send failed', { error })
    expect(raw()).not.toContain(BOT_TOKEN)
    expect(raw()).not.toContain('abc.def-ghi')
    expect(raw()).not.toContain('dXNlcjpwYXNz')
    expect(lines()[0]).toMatchObject({
      msg: 'send failed',
      error: {
        type: 'Error',
        code: 'ECONNRESET',
        message: `request to https://api.telegram.org/bot${CENSOR}/sendMessage failed (Bearer ${CENSOR})`,
        stack: expect.stringContaining('logger.test.ts'),
      },
    })
  })

  it('adds the context (a request id) to every line logged inside it, across awaits and child loggers', async () => {
    const { logger, lines } = captured()
    const child = logger.child({ component: 'engine' })
    await Promise.all(
      ['req-a', 'req-b'].map((requestId, i) =>
        logger.withContext({ requestId }, async () => {
          logger.info('started')
          await sleep(5 - i * 5)
          child.info('deep in the engine')
        }),
      ),
    )
    logger.info('outside')
    const byRequest = (id: string) =>
      lines()
        .filter((l) => l.requestId === id)
        .map((l) => l.msg)
    expect(byRequest('req-a')).toEqual(['started', 'deep in the engine'])
    expect(byRequest('req-b')).toEqual(['started', 'deep in the engine'])
    expect(lines().find((l) => l.msg === 'outside')).not.toHaveProperty('requestId')
  })
})
