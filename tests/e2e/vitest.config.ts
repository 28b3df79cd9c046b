import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.e2e.ts'],
    globalSetup: ['src/global-setup.ts'],
    // One browser session against one runtime: specs run one after another.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits on a condition; vitest's default gives up after 1 s, less than the editor's autosave
    // (800 ms debounce, then the PUT) takes on this shared, loaded machine: the canvas spec's keyboard-connect
    // check failed so. A poll passes as soon as its condition holds, so a longer limit only slows a real failure.
    expect: { poll: { timeout: 15_000 } },
  },
})
