import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { requireDist, vitestProject, vitestUpdate } from '../node/helpers'

// Acceptance run, session 33 (M2, L1): real `vitest run -u` in a project of its own, on the built
// package. A divergence caused by a value the log holds in another form, or by the replay store's
// own middleware dispatching, is named in the hint, and -u leaves the log as it was (it rewrote it
// with states the app never had).

let project: string

beforeAll(async () => {
  await requireDist()
  project = vitestProject('fr-update33-')
}, 60_000)

/** Runs `vitest run -u` on `<project>/<name>/` holding `test` (its source) and the log `text`; exit, output and the log afterwards. */
function updateRun(name: string, text: string, test: string): { code: number | null; out: string; after: string } {
  return vitestUpdate(project, name, ['session.jsonl', text], ['session.test.mjs', test])
}

const NOT_UPDATED = 'The test runner updates snapshots, but the log was not updated: the hint above names a cause other than a changed reducer.'

describe('expectReplayFile under vitest -u, a step that reads a Date the log holds as its ISO string', () => {
  /** The acceptance run's reducer: `year` reads `state.at` as a Date. */
  const REDUCER = `export const reducer = (s = { at: null, year: null }, a) => a.type === 'date' ? { ...s, at: a.payload.at } : a.type === 'year' ? { ...s, year: s.at instanceof Date ? s.at.getUTCFullYear() : 'not-a-date' } : s\n`
  let text: string

  beforeAll(async () => {
    writeFileSync(join(project, 'dated.mjs'), REDUCER)
    const { reducer } = (await import(join(project, 'dated.mjs'))) as { reducer: any }
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], lossy: { warn: false } })
    const store = configureStore({ reducer, middleware: (g) => g({ serializableCheck: false }).prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'date', payload: { at: new Date(Date.UTC(2020, 1, 2)) } })
    store.dispatch({ type: 'year' })
    expect(store.getState().year).toBe(2020)
    await recorder.close()
    text = sink.text()
    expect(text).toContain('"year":2020')
  })

  it.each([
    ['with allowLossy', 'lossy-allowed', ', allowLossy: true'],
    ['without allowLossy', 'lossy-strict', ''],
  ])('%s: fails, names state.at in the hint, and leaves the log as it was', (_, name, options) => {
    const { code, out, after } = updateRun(
      name,
      text,
      `import { it } from 'vitest'\nimport { expectReplayFile } from 'redux-flight-recorder/testing'\nimport { reducer } from '../dated.mjs'\nit('replays', () => expectReplayFile('${name}/session.jsonl', { reducer${options} }))\n`,
    )
    expect(code, out).toBe(1)
    expect(out).toContain("Replay diverged at seq 2 (turn t2), action 'year'")
    expect(out).toContain('hint: This step depends on values the log holds in another form (state.at was a Date, logged as its ISO string)')
    expect(out).toContain(NOT_UPDATED)
    expect(out).not.toContain('or run the tests with -u')
    expect(out).not.toContain('Updated')
    expect(after).toBe(text)
  }, 120_000)
})

describe("expectReplayFile under vitest -u, a createStore replay store whose listener middleware dispatches", () => {
  it("fails, names the replay store's middleware in the hint, and leaves the log as it was", async () => {
    const STORE = `import { combineReducers, configureStore, createListenerMiddleware, createSlice } from '@reduxjs/toolkit'
export const ui = createSlice({ name: 'ui', initialState: { log: [], echoes: 0 }, reducers: { note: (s, a) => void s.log.push(a.payload), echo: (s) => void s.echoes++ } })
export const reducer = combineReducers({ ui: ui.reducer })
export function makeStore(preloadedState, recorder) {
  const lm = createListenerMiddleware()
  lm.startListening({ actionCreator: ui.actions.note, effect: (_a, api) => void api.dispatch(ui.actions.echo()) })
  return configureStore({ reducer, preloadedState, middleware: (g) => (recorder ? g().prepend(recorder.middleware) : g()).concat(lm.middleware), enhancers: (g) => (recorder ? g().concat(recorder.enhancer) : g()) })
}
`
    writeFileSync(join(project, 'listening.mjs'), STORE)
    const { makeStore, ui } = (await import(join(project, 'listening.mjs'))) as { makeStore: any; ui: any }
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = makeStore(undefined, recorder)
    for (const n of ['a', 'b', 'c']) store.dispatch(ui.actions.note(n))
    expect(store.getState().ui.echoes).toBe(3)
    await recorder.close()
    const text = sink.text()
    const { code, out, after } = updateRun(
      'listener',
      text,
      `import { it } from 'vitest'\nimport { expectReplayFile } from 'redux-flight-recorder/testing'\nimport { makeStore } from '../listening.mjs'\nit('replays', () => expectReplayFile('listener/session.jsonl', { createStore: (pre) => makeStore(pre) }))\n`,
    )
    expect(code, out).toBe(1)
    expect(out).toContain("Replay diverged at seq 1 (turn t1), action 'ui/note'")
    expect(out).toContain("hint: The replay store's middleware dispatched during replay: its reducer ran 2 times for this action (the others changed ui.echoes)")
    expect(out).toContain(NOT_UPDATED)
    expect(out).not.toContain('Updated')
    expect(after).toBe(text)
  }, 120_000)
})
