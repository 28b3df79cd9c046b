// @parley/api: the HTTP API's schemas (request and response bodies, the error shape) shared by the runtime,
// which validates with them and publishes them as /openapi.json, and the editor, which calls through the client.
export * from './api-keys.ts'
export * from './auth.ts'
export * from './catalogue.ts'
export * from './client.ts'
export * from './common.ts'
export * from './errors.ts'
export * from './flows.ts'
