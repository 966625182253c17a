/**
 * The vendored upstream specs that need Redux and Redux Toolkit inlined (transformed by Vitest rather
 * than loaded by Node), as upstream's own vitest.config.mts does: Redux Toolkit's configureStore spec
 * mocks 'redux' with `vi.doMock` and spies on its exports, which only reaches the calls Redux Toolkit
 * makes when both go through Vitest's module graph. Inlining them for the whole suite would change
 * how every other spec loads them, so these `*.inline-spec.ts` files run in their own Vitest run:
 *
 *   npx vitest run --config test/upstream/vitest.inline.config.ts
 *
 * `TEST_DIST` selects the spec's branches for a run against the built Redux Toolkit (the published
 * package here), as upstream sets it for its own dist run; the recorder itself still comes from src/
 * unless TEST_DIST was set when this config loaded (then from dist/, like the main config).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import base from '../../vitest.config'

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: base.resolve,
  test: {
    include: ['test/upstream/**/*.inline-spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TEST_DIST: 'published @reduxjs/toolkit' },
    server: { deps: { inline: ['redux', '@reduxjs/toolkit'] } },
  },
})
