// Drawing a laid-out edge: its ELK route, fitted to where React Flow measured the two handles, as an SVG
// path with rounded corners, and where its label goes.
import type { EdgeRoute, Point } from '../store/layout.ts'

/** How far a handle may sit from the route's end and the route still count as this edge's. */
const TOLERANCE_X = 4
const TOLERANCE_Y = 12

/**
 * The route with its ends moved onto the handles, keeping the first and last segments vertical; null when
 * a card moved since the layout (the route belongs to another arrangement).
 */
export function fitRoute(route: EdgeRoute, source: Point, target: Point): Point[] | null {
  if (route.length < 2) return null
  const first = route[0]!
  const last = route[route.length - 1]!
  const near = (a: Point, b: Point) =>
    Math.abs(a.x - b.x) <= TOLERANCE_X && Math.abs(a.y - b.y) <= TOLERANCE_Y
  if (!near(first, source) || !near(last, target)) return null
  const points = route.map((p) => ({ ...p }))
  if (points.length > 2 && points[1]!.x === first.x) points[1]!.x = source.x
  if (points.length > 2 && points[points.length - 2]!.x === last.x) points[points.length - 2]!.x = target.x
  points[0] = { ...source }
  points[points.length - 1] = { ...target }
  return points
}

/** An SVG path through the points with corners rounded by up to `radius`. */
export function roundedPath(points: Point[], radius = 8): string {
  let d = `M ${points[0]!.x} ${points[0]!.y}`
  for (let i = 1; i < points.length - 1; i++) {
    const [prev, at, next] = [points[i - 1]!, points[i]!, points[i + 1]!]
    const inLength = Math.hypot(at.x - prev.x, at.y - prev.y)
    const outLength = Math.hypot(next.x - at.x, next.y - at.y)
    const r = Math.min(radius, inLength / 2, outLength / 2)
    if (r <= 0) {
      d += ` L ${at.x} ${at.y}`
      continue
    }
    const a = { x: at.x - ((at.x - prev.x) / inLength) * r, y: at.y - ((at.y - prev.y) / inLength) * r }
    const b = { x: at.x + ((next.x - at.x) / outLength) * r, y: at.y + ((next.y - at.y) / outLength) * r }
    d += ` L ${a.x} ${a.y} Q ${at.x} ${at.y} ${b.x} ${b.y}`
  }
  const end = points[points.length - 1]!
  return `${d} L ${end.x} ${end.y}`
}

/** The middle of the route's longest vertical run (where a label reads best), else of its longest run. */
export function labelPoint(points: Point[]): Point {
  let best: { at: Point; length: number; vertical: boolean } | null = null
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!]
    const length = Math.hypot(b.x - a.x, b.y - a.y)
    const vertical = a.x === b.x
    const better =
      !best || (vertical && !best.vertical) || (vertical === best.vertical && length > best.length)
    if (better) best = { at: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, length, vertical }
  }
  return best?.at ?? points[0]!
}
