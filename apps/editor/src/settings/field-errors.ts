// Field messages from either the shared schema (checked before sending) or the server's validation_failed
// details, keyed by the field's path ("quietHours.start").
import { ApiError } from '@parley/api'

export type FieldErrors = Record<string, string>

export function fieldErrorsOf(issues: readonly { path: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) errors[issue.path] ??= issue.message
  return errors
}

export function zodFieldErrors(error: { issues: { path: PropertyKey[]; message: string }[] }): FieldErrors {
  return fieldErrorsOf(error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })))
}

export function apiFieldErrors(error: unknown): FieldErrors | null {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed' || !Array.isArray(error.details))
    return null
  return fieldErrorsOf(error.details as { path: string; message: string }[])
}

/** The first message at `path` or below it (a group's fields report under the group too). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path]
  const below = Object.keys(errors).find((k) => k.startsWith(`${path}.`))
  return below ? errors[below] : undefined
}
