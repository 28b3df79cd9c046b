// An image that disappears instead of showing a broken-image icon when its URL does not load
// (sample URLs offline, a template that renders to nothing useful).
import { useState } from 'react'

export function SafeImage({ src, className }: { src: string; className?: string }) {
  const [failed, setFailed] = useState<string | null>(null)
  if (!src || failed === src) return null
  return <img className={className} src={src} alt="" onError={() => setFailed(src)} />
}
