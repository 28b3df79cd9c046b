// The editor's one API client (types and schemas shared with the runtime through @parley/api).
import { ApiError, createApiClient } from '@parley/api'
import { fetchWithEarlyRequests } from './early-requests.ts'

export const api = createApiClient({ baseUrl: '', fetch: fetchWithEarlyRequests })

/** A sentence a merchant can act on, from any failure. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Your session has ended. Please sign in again.'
    if (error.code === 'csrf_failed') return 'Your session is out of date. Reload the page and try again.'
    return error.message
  }
  if (error instanceof TypeError) return 'Parley could not be reached. Check your connection and try again.'
  return error instanceof Error ? error.message : 'Something went wrong.'
}
