// Acceptance run, helper-174 (Medium, secrets): in a production build the option checks are left
// out (by design, DESIGN.md), so `redact: { state: [...], actons: [...] }` (a misspelt key) was
// taken as given: the password under the misspelt key's path was written to the log. Production
// now refuses a `redact` it cannot understand, as it refuses a redaction path that matches
// nothing: the lazy entry's core records nothing and says why once to `onError` (the app goes on),
// the root entry throws at creation. Bundled from dist/ through the `exports` map with
// `process.env.NODE_ENV` defined as "production" (as an app's bundler builds it), run in Node with
// a real Redux Toolkit store.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { configureStore, createSlice } from '@reduxjs/toolkit'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlightRecorder, FlightRecorderOptions } from 'redux-flight-recorder'
import type { LazyFlightRecorder } from 'redux-flight-recorder/lazy'

const root = resolve(__dirname, '../..')
let dir: string
let prod: {
  root: (o: FlightRecorderOptions) => FlightRecorder
  lazy: (o: FlightRecorderOptions) => LazyFlightRecorder
  memorySink: () => { text(): string; write(lines: string[]): void }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fr-prod-redact-'))
  const out = await build({
    stdin: {
      contents: `export { createFlightRecorder as root, memorySink } from 'redux-flight-recorder'\nexport { createFlightRecorder as lazy } from 'redux-flight-recorder/lazy'\n`,
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  })
  const file = join(dir, 'app.mjs')
  writeFileSync(file, out.outputFiles[0].text)
  prod = await import(pathToFileURL(file).href)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const slice = createSlice({
  name: 'c',
  initialState: { n: 0, auth: { token: 'SECRET-TOKEN-9f8e7d' } },
  reducers: { inc: (s) => void s.n++, login: (s, _a: { payload: { password: string } }) => s },
})
const makeStore = (r: FlightRecorder) => configureStore({ reducer: slice.reducer, middleware: (g) => g().prepend(r.middleware), enhancers: (g) => g().concat(r.enhancer) })

const MISTAKES: [string, unknown][] = [
  ["a misspelt key ('actons')", { state: ['auth.token'], actons: ['payload.password'] }],
  ['paths as an array (no `state` or `actions` key)', ['auth.token', 'payload.password']],
  ['paths as a string', 'payload.password'],
]

describe('a production build given a `redact` it cannot understand', () => {
  it.each(MISTAKES)('the lazy entry: %s — nothing is recorded, onError hears why once, the app goes on', async (_what, redact) => {
    const errors: Error[] = []
    const sink = prod.memorySink()
    const recorder = prod.lazy({ redact: redact as never, sinks: [sink], onError: (e) => errors.push(e) })
    const store = makeStore(recorder)
    store.dispatch(slice.actions.inc())
    store.dispatch(slice.actions.login({ password: 'hunter2-PASSWORD-xyz' }))
    await recorder.ready()
    store.dispatch(slice.actions.inc())
    expect(store.getState().n).toBe(2)
    expect(errors).toHaveLength(1)
    expect(errors[0].message).toContain('refused the options')
    expect(String((errors[0].cause as Error).message)).toMatch(/^\[redux-flight-recorder\] Invalid `redact`/)
    expect(() => recorder.toJSONL()).toThrow(expect.objectContaining({ code: 'core-failed' }))
    await recorder.flush().catch(() => undefined)
    await recorder.close()
    expect(sink.text()).not.toContain('hunter2')
    expect(sink.text()).toBe('')
  })

  it.each(MISTAKES)('the root entry: %s — refused at creation, as an invalid redaction path is', (_what, redact) => {
    expect(() => prod.root({ redact: redact as never })).toThrow(/^\[redux-flight-recorder\] Invalid `redact`/)
  })

  it("names the misspelt key in production's short message", () => {
    expect(() => prod.root({ redact: { actons: ['payload.password'] } as never })).toThrow("[redux-flight-recorder] Invalid `redact`: 'actons'.")
  })

  it('a `redact` with `state` and `actions` only, or none, or null, still records (and redacts)', async () => {
    for (const redact of [{ state: ['auth.token'], actions: ['payload.password'] }, { actions: ['payload.password'] }, undefined, null]) {
      const recorder = prod.lazy({ redact: redact as never })
      const store = makeStore(recorder)
      store.dispatch(slice.actions.login({ password: 'hunter2-PASSWORD-xyz' }))
      await recorder.ready()
      const log = recorder.toJSONL()
      expect(log).toContain('"kind":"c/login"')
      expect(log.includes('hunter2')).toBe(!redact)
      await recorder.close()
    }
  })
})
