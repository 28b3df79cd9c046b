// Error responses every route may give, in the shape /openapi.json documents.
import { errorBodySchema } from '@parley/api'

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
})

export const errorResponses = {
  400: error('Malformed JSON or a body that does not match the schema'),
  401: error('Not signed in, or no valid API key'),
  403: error('The role does not allow this, or the CSRF header is missing'),
  404: error('No such object for this merchant'),
  413: error('The body is larger than the limit'),
  415: error('The body is not application/json'),
} as const
