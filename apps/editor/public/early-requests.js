// Starts the requests the first screen waits for while the app's scripts are still downloading and being
// evaluated: who is signed in and, when the page opens on a flow (#/flows/<id>), that flow. A plain script
// (no modules, nothing to bundle) so it runs before the app; src/api/early-requests.ts hands each answer to
// the API client's first matching request, once.
;(() => {
  const get = (path) => fetch(path, { headers: { accept: 'application/json' }, credentials: 'include' })
  const started = { '/api/auth/session': get('/api/auth/session') }
  const flow = /^#\/flows\/([^/]+)$/.exec(window.location.hash)
  if (flow) {
    const path = `/api/flows/${encodeURIComponent(flow[1])}`
    started[path] = get(path)
  }
  window.parleyEarlyRequests = started
})()
