import { describe, expect, it } from 'vitest'
import { collectInput, collectInputDefaults } from './collect-input.ts'
import { checkNode, HOUR, runNode, T0 } from './node-test-kit.ts'

const vars = (run: ReturnType<typeof runNode>) =>
  (run.snapshot.context as { vars: Record<string, unknown> }).vars

describe('collect-input', () => {
  it('parses its defaults and lists next/failed, plus timeout when set', () => {
    expect(collectInput.configSchema.parse(collectInputDefaults)).toEqual(collectInputDefaults)
    expect(collectInput.handles(collectInputDefaults).map((h) => h.id)).toEqual(['next', 'failed'])
    expect(
      collectInput
        .handles({ ...collectInputDefaults, timeout: { amount: 1, unit: 'days' } })
        .map((h) => h.id),
    ).toEqual(['next', 'failed', 'timeout'])
  })

  it('counts the prompt and retry messages and writes its variable', () => {
    expect(collectInput.facts({ ...collectInputDefaults, variable: 'email', retries: 2 })).toMatchObject({
      sends: 3,
      waits: true,
      writes: ['email'],
      opensWindow: ['next', 'failed'],
    })
  })

  it('flags an empty question and writing into a store variable', () => {
    expect(checkNode('collect-input', { prompt: '', variable: 'cart' }).map((i) => i.message)).toEqual([
      "'Step' has an empty question",
      `'Step' cannot save into "cart": the store fills that variable`,
    ])
  })

  it('asks, then stores a valid order number', () => {
    const run = runNode('collect-input', {
      prompt: 'Your order number?',
      inputType: 'order_number',
      variable: 'order_number',
    })
    expect(run.last.effects).toEqual([
      { type: 'send', nodeId: 'n', purpose: 'service', message: { text: 'Your order number?' } },
    ])
    run.send({ type: 'message.received', text: "it's #A1042" })
    expect(run.outcome).toBe('next')
    expect(vars(run).order_number).toBe('A1042')
  })

  it('asks again with the retry text, then fails after the allowed retries', () => {
    const run = runNode('collect-input', {
      prompt: 'Email?',
      inputType: 'email',
      retries: 1,
      retryText: 'That does not look like an email',
    })
    const retry = run.send({ type: 'message.received', text: 'no' })
    expect(retry.effects.map((e) => e.type === 'send' && e.message.text)).toEqual([
      'That does not look like an email',
    ])
    expect(run.status).toBe('active')
    run.send({ type: 'message.received', text: 'still no' })
    expect(run.outcome).toBe('failed')
  })

  it('counts attempts in the run context and still accepts a later valid answer', () => {
    const run = runNode('collect-input', { prompt: 'Email?', inputType: 'email', retries: 1 })
    run.send({ type: 'message.received', text: 'x' })
    expect((run.snapshot.context as { retries: Record<string, number> }).retries).toEqual({ n: 1 })
    run.send({ type: 'message.received', text: 'A@B.example' })
    expect(run.outcome).toBe('next')
    expect(vars(run).answer).toBe('a@b.example')
  })

  it('collects photos from media and numbers from text', () => {
    const photos = runNode('collect-input', { prompt: 'Photos?', inputType: 'photo', variable: 'photos' })
    photos.send({
      type: 'message.received',
      text: '',
      media: [{ url: 'https://m/1.jpg', mimeType: 'image/jpeg' }],
    })
    expect(vars(photos).photos).toEqual(['https://m/1.jpg'])
    const number = runNode('collect-input', { prompt: 'How many?', inputType: 'number', variable: 'count' })
    number.send({ type: 'message.received', text: 'about 3,5 kg' })
    expect(vars(number).count).toBe(3.5)
  })

  it('offers a skip button that goes on without an answer; without one the answer is required', () => {
    const config = {
      prompt: 'A photo?',
      inputType: 'photo',
      variable: 'photos',
      skipButton: 'Skip',
      retries: 0,
    }
    const run = runNode('collect-input', config)
    expect(run.last.effects[0]).toMatchObject({
      message: { text: 'A photo?', buttons: [{ id: 'skip', title: 'Skip' }] },
    })
    run.send({ type: 'message.received', text: 'Skip', buttonId: 'skip' })
    expect(run.outcome).toBe('next')
    expect(vars(run)).not.toHaveProperty('photos')
    // Another button's tap is not a skip; typing the skip word is.
    const other = runNode('collect-input', { ...config, buttons: [{ id: 'later', title: 'Skip' }] })
    other.send({ type: 'message.received', text: 'Skip', buttonId: 'later' })
    expect(other.outcome).toBe('failed')
    const typed = runNode('collect-input', config)
    typed.send({ type: 'message.received', text: 'skip' })
    expect(typed.outcome).toBe('next')
    const required = runNode('collect-input', { ...config, skipButton: '' })
    required.send({ type: 'message.received', text: 'skip' })
    expect(required.outcome).toBe('failed')
  })

  it('gives up after its timeout', () => {
    const run = runNode('collect-input', { prompt: 'Email?', timeout: { amount: 2, unit: 'hours' } })
    run.advanceTo(T0 + 2 * HOUR)
    expect(run.outcome).toBe('timeout')
  })
})
