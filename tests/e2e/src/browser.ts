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
      // Chromium 156 builds the omnibox's WebUI popup ("AI mode", chrome://omnibox-popup.top-chrome) in a
      // renderer of its own for every new page, headless too: ~0.8–1.1 s of CPU per page in a trace of one
      // editor load (more than the editor's own main thread, ~0.9 s), competing with the page under test for
      // this machine's two cores. It is the browser's own UI, which no test or bench looks at; turned off, the
      // trace shows no such renderer. (BENCHMARKS.md, "Editor boot, session 8".)
      '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI',
    ],
  })
}
