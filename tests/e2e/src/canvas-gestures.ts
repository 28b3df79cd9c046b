// What the editor specs do on the canvas with the pointer: drop a step from the palette, lead an output to a step
// with its "+", and draw a connection by dragging from one handle to another. One copy, used by every spec.
//
// A drag between handles is a gesture React Flow 12 follows through states (@xyflow/system, XYHandle): the mouse
// goes down on a handle whose bounds it has measured (an unmeasured card has none: the press starts nothing), a
// move past its drag threshold starts the connection (the source handle gets `connectingfrom`, the connection line
// is drawn), each later move looks for the closest handle within `connectionRadius` (20 px) of the pointer in the
// canvas's coordinates as they are at that move and marks it `connectingto` (and `valid` when isValidConnection
// agrees), and the release connects what the last move found; nothing is looked up again at the release. Boxes
// read while the view or a card is still moving (a card just dropped being measured and laid out, a view being
// framed or panned, autopan near the canvas's edge while connecting) put the pointer where a handle was, not
// where it is: the release then connects nothing, and nothing says so. So the gesture below waits for each state
// instead of moving on: a still canvas before reading the boxes, the connection started before aiming, the
// target marked valid before letting go (aiming again at the handle's new box while the canvas moves under the
// pointer), and the connection line gone afterwards.
import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'

/** How long a gesture waits for a state of React Flow's before it fails, saying which. */
const GESTURE_TIMEOUT_MS = 20_000

/** Drops a step from the palette at a point of the canvas (relative to its top-left corner). */
export async function dropStep(page: Page, kind: string, x: number, y: number): Promise<Locator> {
  const before = await page.locator(`.react-flow__node-${kind}`).count()
  await page.locator(`.palette [data-kind="${kind}"]`).dragTo(page.locator('.react-flow__pane'), {
    targetPosition: { x, y },
  })
  await expect.poll(() => page.locator(`.react-flow__node-${kind}`).count()).toBe(before + 1)
  return page.locator(`.react-flow__node-${kind}`).nth(before)
}

/** Leads an output to a step already on the canvas, with the "+" on that output and its step menu. */
export async function connectTo(page: Page, output: Locator, stepName: string): Promise<void> {
  await output.locator('.add-step').click()
  const menu = page.locator('.step-menu')
  await menu.locator('.step-menu-target', { hasText: stepName }).click()
  await expect.poll(() => menu.count()).toBe(0)
}

type Box = { x: number; y: number; width: number; height: number }

const centre = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 })

async function boxOf(handle: Locator): Promise<Box> {
  const box = await handle.boundingBox()
  if (!box) throw new Error(`handle ${handle} is not on the page`)
  return box
}

/** Waits for the next painted frames, so a state read after it is the one the page shows. */
async function frames(page: Page, count = 2): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        const next = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => next(left - 1)))
        next(n)
      }),
    count,
  )
}

/**
 * Waits until the canvas stands still: the view's transform and every given handle's box the same across two
 * frames twice running (a view animation, a card being measured or laid out, all settle), each card drawn
 * (React Flow hides a card until it has measured it and its handles).
 */
export async function waitForStillCanvas(page: Page, handles: Locator[]): Promise<void> {
  // A handle inherits its card's visibility, hidden until React Flow has measured the card.
  for (const handle of handles) await handle.waitFor()
  const snapshot = async () =>
    JSON.stringify([
      await page.locator('.react-flow__viewport').getAttribute('style'),
      ...(await Promise.all(handles.map((h) => h.boundingBox()))),
    ])
  const deadline = Date.now() + GESTURE_TIMEOUT_MS
  let last = await snapshot()
  let still = 0
  while (still < 2) {
    if (Date.now() > deadline) throw new Error(`the canvas kept moving: ${last}`)
    await frames(page)
    const now = await snapshot()
    still = now === last ? still + 1 : 0
    last = now
  }
}

async function hasClass(handle: Locator, ...names: string[]): Promise<boolean> {
  const classes = ((await handle.getAttribute('class')) ?? '').split(/\s+/)
  return names.every((n) => classes.includes(n))
}

/**
 * Draws a connection with a real pointer drag from one handle to another and waits until it is made, as React
 * Flow's states show it (see the top of this file). Fails, saying which state never came, rather than letting go
 * at a guess.
 */
export async function connectByDrag(page: Page, from: Locator, to: Locator): Promise<void> {
  await waitForStillCanvas(page, [from, to])
  const start = centre(await boxOf(from))
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  try {
    // Past the drag threshold (1 px) and off the handle, so the press is a drag and not a click-to-connect.
    const aim0 = centre(await boxOf(to))
    const dx = aim0.x - start.x
    const dy = aim0.y - start.y
    const length = Math.hypot(dx, dy) || 1
    await page.mouse.move(start.x + (dx / length) * 16, start.y + (dy / length) * 16, { steps: 2 })
    await expect
      .poll(() => hasClass(from, 'connectingfrom'), {
        timeout: GESTURE_TIMEOUT_MS,
        message: 'React Flow never started a connection from the source handle',
      })
      .toBe(true)
    await page.locator('.react-flow__connectionline').waitFor({ timeout: GESTURE_TIMEOUT_MS })

    // Aim at the target's box as it is now, and again while the canvas moves under the pointer (autopan), until
    // React Flow marks the target as the valid end of this connection.
    await page.mouse.move(aim0.x, aim0.y, { steps: 12 })
    await expect
      .poll(
        async () => {
          if (await hasClass(to, 'connectingto', 'valid')) return true
          const aim = centre(await boxOf(to))
          await page.mouse.move(aim.x + 1, aim.y)
          await page.mouse.move(aim.x, aim.y)
          return hasClass(to, 'connectingto', 'valid')
        },
        { timeout: GESTURE_TIMEOUT_MS, message: 'React Flow never marked the target handle a valid end' },
      )
      .toBe(true)
  } finally {
    await page.mouse.up()
  }
  await expect
    .poll(() => page.locator('.react-flow__connectionline').count(), {
      timeout: GESTURE_TIMEOUT_MS,
      message: 'the connection line stayed after the release',
    })
    .toBe(0)
}
