import { combineReducers, configureStore, createSlice, type Reducer } from '@reduxjs/toolkit'
import { createApi, fakeBaseQuery } from '@reduxjs/toolkit/query'
import { createStore } from 'redux'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Recording } from 'redux-flight-recorder'
import { rehashRecording } from 'redux-flight-recorder/shrink'
import { encodeRecording, formatDivergence, replay, type ReplayResult } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { updateRefusal } from '../../src/testing/expectReplay'

// A slice added to the reducer, removed, or renamed (a key, an RTK Query `reducerPath`) makes the
// replay start in another state than the log's: reported at @@session with the two starting
// states' differences, whether replay runs the reducer alone or builds a store, and not blamed on
// the log's first (innocent) action.

const a = createSlice({ name: 'a', initialState: { n: 0 }, reducers: { inc: (s) => void s.n++ } })
const b = (s: { x: number } = { x: 1 }) => s

async function record(reducer: Reducer, middleware: (m: any) => any = (m) => m): Promise<Recording> {
  return recordSession(
    (rec) => configureStore({ reducer, middleware: (g) => middleware(g().prepend(rec.middleware)), enhancers: (g) => g().concat(rec.enhancer) }),
    (store) => {
      store.dispatch(a.actions.inc())
      store.dispatch(a.actions.inc())
    },
  )
}

/** The divergence of both replay modes, which must agree. */
function bothModes(log: Recording, reducer: Reducer): ReplayResult {
  const alone = replay(log, { reducer })
  const store = replay(log, { createStore: (pre) => createStore(reducer, pre as never) })
  for (const r of [alone, store]) expect(r.divergence, formatDivergence(r)).toMatchObject({ reason: 'state-mismatch', seq: 0, kind: '@@session', action: null })
  expect(alone.divergence!.diff).toEqual(store.divergence!.diff)
  expect(alone.steps).toBe(0)
  return alone
}

let warn: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  // combineReducers' "Unexpected key" warning for a slice the reducer no longer has (a store prints it too).
  warn = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => warn.mockRestore())

describe('a slice added, removed or renamed diverges at @@session', () => {
  it('added: the new slice is the difference of the starting states', async () => {
    const log = await record(combineReducers({ a: a.reducer }))
    const r = bothModes(log, combineReducers({ a: a.reducer, b }))
    expect(r.divergence!.diff).toEqual([{ path: 'b', replayed: { x: 1 } }])
    const text = formatDivergence(r)
    expect(text).toMatch(/^Replay diverged at seq 0, at @@session/)
    expect(text).toContain("Replay starts in another state than the log's (the header's `state`): run on it with Redux's INIT action, as a store built from it would be, the reducer fills in or drops slices (a slice added to the reducer, removed or renamed), so every step would differ.")
    expect(text).not.toContain('a/inc')
  })

  it('removed', async () => {
    const log = await record(combineReducers({ a: a.reducer, b }))
    const r = bothModes(log, combineReducers({ a: a.reducer }))
    expect(r.divergence!.diff).toEqual([{ path: 'b', recorded: { x: 1 } }])
  })

  it('renamed', async () => {
    const log = await record(combineReducers({ a: a.reducer, b }))
    const r = bothModes(log, combineReducers({ a: a.reducer, c: b }))
    expect(r.divergence!.diff).toEqual([
      { path: 'b', recorded: { x: 1 } },
      { path: 'c', replayed: { x: 1 } },
    ])
  })

  it("an RTK Query api's reducerPath renamed", async () => {
    const makeApi = <P extends string>(reducerPath: P) =>
      createApi({ reducerPath, baseQuery: fakeBaseQuery(), endpoints: (q) => ({ one: q.query<number, void>({ queryFn: () => ({ data: 1 }) }) }) })
    const api = makeApi('api')
    const log = await record(combineReducers({ a: a.reducer, [api.reducerPath]: api.reducer }), (m) => m.concat(api.middleware))
    const renamed = makeApi('catalogApi')
    const r = bothModes(log, combineReducers({ a: a.reducer, [renamed.reducerPath]: renamed.reducer }))
    const diff = r.divergence!.diff!
    expect(diff.map((d) => d.path)).toEqual(['api', 'catalogApi'])
    expect(diff[0]).toMatchObject({ recorded: { config: { reducerPath: 'api' } }, replayed: undefined })
    expect(diff[1]).toMatchObject({ recorded: undefined, replayed: { config: { reducerPath: 'catalogApi' } } })
  })

  it('a reducer that counts every action (INIT too) still verifies; an added slice beside it is the only difference', async () => {
    const counted = (s = { actions: 0 }) => ({ actions: s.actions + 1 })
    const log = await record(combineReducers({ a: a.reducer, counted }))
    expect((log.header.state as { counted: { actions: number } }).counted.actions).toBe(1) // the store's INIT
    expect(replay(log, { reducer: combineReducers({ a: a.reducer, counted }) })).toMatchObject({ ok: true, verified: true })
    const r = replay(log, { reducer: combineReducers({ a: a.reducer, counted, b }) })
    expect(r.divergence).toMatchObject({ reason: 'state-mismatch', kind: '@@session', diff: [{ path: 'b', replayed: { x: 1 } }] })
  })

  it('a log of an unchanged reducer still verifies, and rehash takes in an added slice (the header too)', async () => {
    const log = await record(combineReducers({ a: a.reducer }))
    expect(replay(log, { reducer: combineReducers({ a: a.reducer }) })).toMatchObject({ ok: true, verified: true })
    const reducer = combineReducers({ a: a.reducer, b })
    const updated = rehashRecording(encodeRecording(log), { reducer })
    expect(updated.header.state).toEqual({ a: { n: 0 }, b: { x: 1 } })
    expect(updated.rehash.changed).toBe(2)
    expect(replay(encodeRecording(updated), { reducer })).toMatchObject({ ok: true, verified: true })
    expect(replay(encodeRecording(updated), { createStore: (pre) => createStore(reducer, pre as never) })).toMatchObject({ ok: true, verified: true })
  })

  it("rehash refuses a reducer that keeps none of the log's slices (another app's: acceptance, session 26, replaced every state and exited 0)", async () => {
    const log = await record(combineReducers({ a: a.reducer }))
    const todos = (s: string[] = []) => s
    let thrown: unknown
    try {
      rehashRecording(encodeRecording(log), { reducer: combineReducers({ todos }) })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({
      code: 'foreign-reducer',
      message: expect.stringMatching(/The reducer keeps none of the log's state \(the log has a; the reducer makes todos\): it looks like another app's/),
    })
    // A slice renamed beside one kept is a change, as before.
    expect(rehashRecording(encodeRecording(log), { reducer: combineReducers({ a: a.reducer, todos }) }).header.state).toEqual({ a: { n: 0 }, todos: [] })
  })

  it("the report says so of another app's reducer (a wrong store module), and advises neither rehash nor -u, which both refuse it (acceptance, session 39)", async () => {
    const log = await record(combineReducers({ a: a.reducer, b }))
    const todos = (s: string[] = []) => s
    const r = bothModes(log, combineReducers({ todos }))
    expect(r.divergence!.hint).toBe(
      "The reducer keeps none of the log's state (the log has a, b; the reducer makes todos): it looks like another app's, or the log is another app's (a wrong store module or import, a log in another app's folder). Replay the log on the reducer it was recorded with: updating it (rehash, -u) would replace every state in it, so neither does.",
    )
    const text = formatDivergence(r)
    expect(text).toContain("The reducer keeps none of the log's state")
    expect(text).not.toContain('update the log: flight-recorder rehash')
    expect(updateRefusal(r)).toEqual({ kind: 'foreign-reducer', text: "the reducer keeps none of the log's state (the hint above): a rewrite would replace every state in it." })
    // One slice kept beside a renamed one is a change: the report still offers rehash and -u.
    const renamed = bothModes(log, combineReducers({ a: a.reducer, todos }))
    expect(renamed.divergence!.hint).toBeUndefined()
    expect(formatDivergence(renamed)).toContain('update the log: flight-recorder rehash <log> --store <module> --in-place, or run the tests with -u')
    expect(updateRefusal(renamed)).toBeUndefined()
  })
})
