// The API client's fetch: a GET that public/early-requests.js already started while the scripts were loading
// is answered by that request, once; everything else (and an early answer that failed, e.g. before sign-in)
// goes to the network as usual, so the client parses and reports errors the same way either way.

declare global {
  interface Window {
    parleyEarlyRequests?: Record<string, Promise<Response>>
  }
}

export const fetchWithEarlyRequests: typeof fetch = (input, init) => {
  const started = typeof window === 'undefined' ? undefined : window.parleyEarlyRequests
  const path = typeof input === 'string' ? input : null
  const early = path !== null && (init?.method ?? 'GET') === 'GET' ? started?.[path] : undefined
  if (!early || path === null) return fetch(input, init)
  delete started![path]
  return early.then(
    (response) => (response.ok ? response : fetch(input, init)),
    () => fetch(input, init),
  )
}
