// Live validation off the main thread: checks each posted document and answers with its request id, so
// validating a large flow never holds up drawing or panning the canvas.
import type { RawFlowDocument } from '@parley/flow'
import { checkDocument } from './check-document.ts'

export interface ValidationRequest {
  id: number
  doc: RawFlowDocument
}

self.onmessage = (event: MessageEvent<ValidationRequest>) => {
  const { id, doc } = event.data
  self.postMessage({ id, ...checkDocument(doc) })
}
