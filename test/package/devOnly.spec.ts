import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'

// What a production build of an app that records leaves out (DESIGN.md: dev-only code behind a
// literal `process.env.NODE_ENV !== 'production'`; the DevTools-instrument support and the subtree
// hashes opt-in by import). Bundled from dist/ through the `exports` map, as an app's
// bundler does, once per NODE_ENV: each text must be in the development bundle (so the check can
// fail) and not in the production one.
const root = resolve(__dirname, '../..')

const APP = `
export { createFlightRecorder } from 'redux-flight-recorder'
export { indexedDbSink, httpSink, recordPageLifecycle } from 'redux-flight-recorder/browser'
`

async function bundle(env: 'production' | 'development', contents = APP): Promise<string> {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    tsconfigRaw: '{}',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    define: { 'process.env.NODE_ENV': JSON.stringify(env) },
    external: ['redux'],
    write: false,
    logLevel: 'silent',
  })
  return out.outputFiles[0].text
}

/** Texts only development needs: option checks, one-time warnings, checkDeterminism's report. */
const DEV_ONLY = [
  "Expected `hash` to be 'fr64', false or a function.", // createFlightRecorder's option checks
  'Did you mean', // … their suggestion for a misspelt option
  'the longest delay timers take', // … and the timer options' range
  "Expected `devtools` to be `devToolsInstrument()`",
  "This store has Redux DevTools' instrument", // the warning without the opt-in
  'This recorder was applied to another store.', // the new-store warning
  'is in a store whose `recorder.enhancer` is not', // the middleware without the enhancer
  'This recorder was closed (`recorder.close()`), so this store is not recorded', // a closed recorder applied to a store
  'Warned once per path and kind', // lossy values' warning
  'so replay dispatches the action without it', // values left out of an action (omitted)
  'is a property keyed by a symbol. JSON leaves it out', // symbol-keyed properties in the state
  // (The walk that finds them has no text of its own left to look for: since session 34 the action's
  // quick check calls getOwnPropertySymbols in production too.)
  'The reducer is not deterministic', // checkDeterminism
  'Expected indexedDbSink({ name }) with a non-empty string', // sinks' option checks
  'to be a number of at least', // httpSink
  "httpSink uses the page's fetch, which is not the browser's own", // … its warning about an app's fetch wrapper
  'Expected a recorder from createFlightRecorder() as the first argument of recordPageLifecycle.',
]

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).')
})

describe('production builds of the recording path', () => {
  it('leave out development-only checks, warnings and messages', async () => {
    const [dev, prod] = await Promise.all([bundle('development'), bundle('production')])
    for (const text of DEV_ONLY) expect([text, dev.includes(text)]).toEqual([text, true])
    for (const text of DEV_ONLY) expect([text, prod.includes(text)]).toEqual([text, false])
  }, 60_000)

  it("carry the DevTools-instrument support only when the app imports it from 'redux-flight-recorder/devtools'", async () => {
    // PERFORM_ACTION: the lifted action the support reads; nothing else in the recorder names it.
    expect(await bundle('production')).not.toContain('PERFORM_ACTION')
    const withDevTools = await bundle('production', `${APP}\nexport { devToolsInstrument } from 'redux-flight-recorder/devtools'`)
    expect(withDevTools).toContain('PERFORM_ACTION')
  }, 60_000)

  it("carry the subtree hashes (the `changed` key) only when the app imports subtreeHashes() from 'redux-flight-recorder'", async () => {
    expect(await bundle('production')).not.toContain('"changed":')
    const withSubtrees = await bundle('production', `${APP}\nexport { subtreeHashes } from 'redux-flight-recorder'`)
    expect(withSubtrees).toContain('"changed":')
  }, 60_000)
})
