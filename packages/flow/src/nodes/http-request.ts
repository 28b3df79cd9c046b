// HTTP request: call the merchant's own endpoint (templated URL, headers, body); the runtime performs
// it and answers with an effect.result whose data is saved to a variable.
import { z } from 'zod'
import { outboundUrlProblem } from '../outbound-url.ts'
import { renderTemplate } from '../template.ts'
import { EFFECT_RESULT_GRACE_MS, effectWaitState, resultData } from './effect-wait.ts'
import type { FlowIssue, NodeKind } from './types.ts'

export const httpRequestConfigSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  url: z.string().max(2000),
  headers: z.array(z.object({ name: z.string().min(1).max(100), value: z.string().max(2000) })).max(30),
  body: z.string().max(20000),
  timeoutSeconds: z.number().int().min(1).max(30),
  /** The response (parsed JSON or text) is saved here. */
  saveAs: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
      'Name it in one word of letters and digits, starting with a letter',
    ),
})
export type HttpRequestConfig = z.infer<typeof httpRequestConfigSchema>

export const httpRequestDefaults = {
  method: 'GET',
  url: '',
  headers: [],
  body: '',
  timeoutSeconds: 10,
  saveAs: 'response',
} as const satisfies HttpRequestConfig

const resultTimeoutMs = (config: HttpRequestConfig) => config.timeoutSeconds * 1000 + EFFECT_RESULT_GRACE_MS

export const httpRequest: NodeKind<'http-request', HttpRequestConfig> = {
  kind: 'http-request',
  title: 'HTTP request',
  description: 'Calls your own system and saves the answer.',
  group: 'actions',
  configSchema: httpRequestConfigSchema,
  defaults: httpRequestDefaults,
  handles: () => [
    { id: 'ok', label: 'Success' },
    { id: 'error', label: 'Failed' },
  ],
  facts: (config) => ({
    sends: 0,
    marketing: false,
    timing: {
      ok: { min: 0, max: resultTimeoutMs(config) },
      error: { min: 0, max: resultTimeoutMs(config) },
    },
    opensWindow: [],
    waits: true,
    terminal: false,
    writes: [config.saveAs],
    hasTemplateFallback: false,
  }),
  check: (config, ctx) => {
    const issues: FlowIssue[] = []
    const url = config.url.trim()
    if (url === '') {
      issues.push({
        severity: 'error',
        code: 'missing_url',
        message: `'${ctx.nodeLabel}' needs a URL to call`,
        nodeId: ctx.nodeId,
      })
    } else {
      const problem = outboundUrlProblem(url, ctx.egressAllowList)
      if (problem) {
        issues.push({
          severity: 'error',
          code: problem.code,
          message: `'${ctx.nodeLabel}' ${problem.message}`,
          nodeId: ctx.nodeId,
        })
      }
    }
    return issues
  },
  templates: (config) =>
    [config.url, ...config.headers.map((h) => h.value), config.body].filter((t) => t !== ''),
  compile: (config, ctx) =>
    effectWaitState(
      {
        entry: [
          {
            type: 'emit',
            params: ({ context }) => {
              const body = config.body === '' ? undefined : renderTemplate(config.body, context.vars)
              return {
                type: 'http.request',
                nodeId: ctx.nodeId,
                method: config.method,
                url: renderTemplate(config.url, context.vars),
                headers: Object.fromEntries(
                  config.headers.map((h) => [h.name, renderTemplate(h.value, context.vars)]),
                ),
                ...(body === undefined ? {} : { body }),
                timeoutMs: config.timeoutSeconds * 1000,
              }
            },
          },
        ],
        okHandle: 'ok',
        failHandle: 'error',
        onOk: [{ type: 'setVar', params: (args) => ({ name: config.saveAs, value: resultData(args) }) }],
        timeoutMs: resultTimeoutMs(config),
      },
      ctx,
    ),
}
