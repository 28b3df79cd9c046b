// Collect input: ask a question, check the answer's type (order number, email, photo...), ask again
// a few times, and store the answer in a variable.
import { z } from 'zod'
import { durationSchema, durationToMs } from '../duration.ts'
import type { MessageReceivedEvent } from '../events.ts'
import { parseInput, SKIP_BUTTON_ID } from './input-parse.ts'
import {
  buttonSchema,
  checkButtons,
  checkMessageText,
  MAX_BUTTONS,
  renderSend,
  templateFallbackSchema,
} from './message-parts.ts'
import type { FlowIssue, NodeKind, OutputHandle, TimeRange } from './types.ts'

export const collectInputConfigSchema = z.object({
  prompt: z.string().max(4096),
  inputType: z.enum(['text', 'number', 'order_number', 'email', 'photo']),
  /** Quick answers offered with the prompt (e.g. return reasons); a tap sends the button's title. */
  buttons: z.array(buttonSchema).max(MAX_BUTTONS),
  /**
   * When set, the title of a button that lets the shopper go on without answering ("Skip" a photo): a tap, or
   * typing it, continues on "Answered" with the variable left unset. Empty: the answer is required.
   */
  skipButton: z.string().max(80),
  /** How many more tries after the first invalid answer. */
  retries: z.number().int().min(0).max(5),
  retryText: z.string().max(4096),
  variable: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
      'Name it in one word of letters and digits, starting with a letter',
    ),
  timeout: durationSchema.nullable(),
  whatsappTemplate: templateFallbackSchema.nullable(),
})
export type CollectInputConfig = z.infer<typeof collectInputConfigSchema>

export const collectInputDefaults = {
  prompt: '',
  inputType: 'text',
  buttons: [],
  skipButton: '',
  retries: 2,
  retryText: "Sorry, I didn't get that. Could you try again?",
  variable: 'answer',
  timeout: null,
  whatsappTemplate: null,
} as const satisfies CollectInputConfig

const RESERVED_VARIABLES = ['contact', 'cart', 'order', 'store', 'trigger']

/** The buttons sent with the question: the suggested answers, then the skip button when there is one. */
export function collectInputButtons(config: Pick<CollectInputConfig, 'buttons' | 'skipButton'>) {
  const skip = config.skipButton.trim()
  return skip === '' ? config.buttons : [...config.buttons, { id: SKIP_BUTTON_ID, title: skip }]
}

export const collectInput: NodeKind<'collect-input', CollectInputConfig> = {
  kind: 'collect-input',
  title: 'Collect input',
  description: 'Asks a question, checks the answer and saves it in a variable.',
  group: 'messages',
  configSchema: collectInputConfigSchema,
  defaults: collectInputDefaults,
  handles: (config) => {
    const handles: OutputHandle[] = [
      { id: 'next', label: 'Answered' },
      { id: 'failed', label: 'No valid answer' },
    ]
    if (config.timeout) handles.push({ id: 'timeout', label: 'No reply' })
    return handles
  },
  facts: (config) => {
    const timeoutMs = config.timeout ? durationToMs(config.timeout) : Number.POSITIVE_INFINITY
    const replyWindow: TimeRange = { min: 0, max: timeoutMs }
    const timing: Record<string, TimeRange> = { next: replyWindow, failed: replyWindow }
    if (config.timeout) timing.timeout = { min: timeoutMs, max: timeoutMs }
    return {
      // The prompt, plus a retry text per allowed retry.
      sends: 1 + (config.retryText.trim() === '' ? 0 : config.retries),
      marketing: false,
      timing,
      opensWindow: ['next', 'failed'],
      waits: true,
      terminal: false,
      writes: [config.variable],
      hasTemplateFallback: config.whatsappTemplate !== null,
    }
  },
  check: (config, ctx) => {
    const issues: FlowIssue[] = [
      ...checkMessageText(config.prompt, ctx, 'question'),
      ...checkButtons(collectInputButtons(config), ctx),
    ]
    if (config.timeout && !(durationToMs(config.timeout) > 0)) {
      issues.push({
        severity: 'error',
        code: 'non_positive_delay',
        message: `'${ctx.nodeLabel}' must wait longer than 0 ${config.timeout.unit}`,
        nodeId: ctx.nodeId,
      })
    }
    if (RESERVED_VARIABLES.includes(config.variable)) {
      issues.push({
        severity: 'error',
        code: 'reserved_variable',
        message: `'${ctx.nodeLabel}' cannot save into "${config.variable}": the store fills that variable`,
        nodeId: ctx.nodeId,
      })
    }
    return issues
  },
  templates: (config) => [config.prompt, config.retryText, ...(config.whatsappTemplate?.params ?? [])],
  compile: (config, ctx) => {
    const nodeId = ctx.nodeId
    const timeout = config.timeout
    return {
      entry: [
        { type: 'resetRetries', params: { nodeId } },
        {
          type: 'emit',
          params: ({ context }) =>
            renderSend(
              nodeId,
              {
                text: config.prompt,
                buttons: collectInputButtons(config),
                whatsappTemplate: config.whatsappTemplate,
              },
              'service',
              context.vars,
            ),
        },
      ],
      on: {
        'message.received': [
          ...(config.skipButton.trim() === ''
            ? []
            : [
                {
                  guard: { type: 'inputSkipped' as const, params: { skipButton: config.skipButton } },
                  target: ctx.target('next'),
                },
              ]),
          {
            guard: { type: 'inputValid', params: { inputType: config.inputType } },
            target: ctx.target('next'),
            actions: [
              {
                type: 'setVar',
                params: ({ event }) => {
                  const parsed = parseInput(config.inputType, event as MessageReceivedEvent)
                  return { name: config.variable, value: parsed.ok ? parsed.value : null }
                },
              },
            ],
          },
          {
            guard: { type: 'retriesLeft', params: { nodeId, max: config.retries } },
            actions: [
              { type: 'countRetry', params: { nodeId } },
              ...(config.retryText.trim() === ''
                ? []
                : [
                    {
                      type: 'emit' as const,
                      params: ({ context }: { context: { vars: Record<string, unknown> } }) =>
                        renderSend(
                          nodeId,
                          { text: config.retryText, buttons: collectInputButtons(config) },
                          'service',
                          context.vars,
                        ),
                    },
                  ]),
            ],
          },
          { target: ctx.target('failed') },
        ],
      },
      ...(timeout
        ? {
            after: {
              [ctx.delay('timeout', () => Math.max(0, durationToMs(timeout)))]: [
                { target: ctx.target('timeout') },
              ],
            },
          }
        : {}),
    }
  },
}
