// Headless Chromium through playwright-core and the system's Chromium (Playwright's own browser download is
// not used): CHROMIUM_PATH, or /usr/bin/chromium as Debian installs it.
import { type Browser, chromium } from 'playwright-core'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-gpu',
    ],
  })
}
