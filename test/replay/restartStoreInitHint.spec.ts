// helper-150 D3: a `createStore` replay starts over from a DevTools jump's @@lifecycle state by building
// a store from it, and Redux's INIT action, which the recorded store's reducer never got there, reaches
// a reducer that changes the state on every action. The report named "the replay store or an adapter"
// with no reason, and advised updating the log (rehash, -u), which cannot help: it now says that the
// store's INIT is why (checked: the reducer changes the state on an action it does not know) and to
// replay with `reducer`, which verifies the same log.
import { instrument, ActionCreators as DT } from '@redux-devtools/instrument'
import { combineReducers, configureStore, createSlice, type Reducer, type StoreEnhancer } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'

const counter = createSlice({ name: 'c', initialState: { v: 0 }, reducers: { inc: (s) => void s.v++ } })
const seen = (s = 0) => s + 1 // counts every action the reducer gets
const plain = combineReducers({ c: counter.reducer })
const counting = combineReducers({ c: counter.reducer, seen })

async function recordJump(reducer: Reducer): Promise<string> {
  const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
  const store = configureStore({ reducer, devTools: false, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer, instrument() as StoreEnhancer) })
  const lifted = (store as unknown as { liftedStore: { dispatch(a: unknown): void } }).liftedStore
  store.dispatch(counter.actions.inc())
  store.dispatch(counter.actions.inc())
  lifted.dispatch(DT.jumpToState(1))
  store.dispatch(counter.actions.inc())
  const text = recorder.toJSONL()
  await recorder.close()
  return text
}

describe('a createStore replay that starts over from a DevTools jump', () => {
  it("names the store's INIT as why the state differs, without advice to update the log, and `reducer` verifies the log", async () => {
    const text = await recordJump(counting)
    expect(text).toContain('"devtools-state-change"')
    const viaReducer = replay(text, { reducer: counting })
    expect(viaReducer.ok, viaReducer.ok ? '' : formatDivergence(viaReducer)).toBe(true)
    expect(viaReducer.verified).toBe(true)

    const viaStore = replay(text, { createStore: (s) => configureStore({ reducer: counting, preloadedState: s }) })
    expect(viaStore.ok).toBe(false)
    expect(viaStore.divergence).toMatchObject({ kind: '@@lifecycle', diff: [{ path: 'seen', recorded: 2, replayed: 3 }] })
    const report = formatDivergence(viaStore)
    expect(report).toContain("hint: Replay built its store from this state (the @@lifecycle at seq 3), so Redux's INIT action reached its reducer, where the recorded one got no action")
    expect(report).toContain('Replay this log with `reducer`')
    expect(report).not.toContain('rehash')
    expect(report).not.toContain('-u')
  })

  it('replays a jump with createStore where the reducer leaves the state alone on an action it does not know', async () => {
    const text = await recordJump(plain)
    const viaStore = replay(text, { createStore: (s) => configureStore({ reducer: plain, preloadedState: s }) })
    expect(viaStore.ok, viaStore.ok ? '' : formatDivergence(viaStore)).toBe(true)
    expect(viaStore.verified).toBe(true)
  })

  it('gives no INIT hint for a difference in a slice the unknown action does not change', async () => {
    // `probed` counts actions but leaves Redux's INIT alone: the store's INIT changes nothing; the
    // replay store's own preloaded-state handling (it resets `c`) is what differs.
    const probed = (s = 0, a: { type: string }) => (a.type.startsWith('@@redux/INIT') ? s : s + 1)
    const reducer = combineReducers({ c: counter.reducer, probed })
    const text = await recordJump(reducer)
    expect(replay(text, { reducer })).toMatchObject({ ok: true, verified: true })
    const viaStore = replay(text, { createStore: (s) => configureStore({ reducer, preloadedState: { ...(s as object), c: { v: 0 } } as never }) })
    expect(viaStore.ok).toBe(false)
    expect(viaStore.divergence).toMatchObject({ kind: '@@lifecycle', diff: [{ path: 'c.v', recorded: 1, replayed: 0 }] })
    expect(formatDivergence(viaStore)).not.toContain("Redux's INIT action reached its reducer")
  })
})

describe('the store-INIT hint where the difference and the probe change are at a parent and a child path (session 40)', () => {
  // `sinceInc` counts the actions since the last `inc`, and is null right after one: the state
  // replay starts over from (after an inc) holds null there, the store's INIT makes it `{ n: 1 }`
  // (the difference is at `sinceInc`), and the probe action makes that `{ n: 2 }` (a change at
  // `sinceInc.n`). The paths were compared as equal strings, so the hint was lost.
  const sinceInc: Reducer<{ n: number } | null> = (s = null, a) => (a.type === counter.actions.inc.type ? null : { n: (s?.n ?? 0) + 1 })
  const reducer = combineReducers({ c: counter.reducer, sinceInc })

  it("names the store's INIT where the difference is at the parent of what the probe changes", async () => {
    const text = await recordJump(reducer)
    expect(replay(text, { reducer })).toMatchObject({ ok: true, verified: true })
    const viaStore = replay(text, { createStore: (s) => configureStore({ reducer, preloadedState: s as never }) })
    expect(viaStore.ok).toBe(false)
    expect(viaStore.divergence).toMatchObject({ kind: '@@lifecycle', diff: [{ path: 'sinceInc', recorded: null, replayed: { n: 1 } }] })
    expect(formatDivergence(viaStore)).toContain("hint: Replay built its store from this state (the @@lifecycle at seq 3), so Redux's INIT action reached its reducer")
  })

  it('names it where the difference is at a child of what the probe changes', async () => {
    // `upToOne` counts unknown actions up to 1 after an inc, then drops to null: INIT makes the
    // recorded `{ n: 0 }` `{ n: 1 }` (a difference at `upToOne.n`), the probe makes that null (at `upToOne`).
    const upToOne: Reducer<{ n: number } | null> = (s = null, a) => (a.type === counter.actions.inc.type ? { n: 0 } : s !== null && s.n < 1 ? { n: s.n + 1 } : null)
    const reducer2 = combineReducers({ c: counter.reducer, upToOne })
    const text = await recordJump(reducer2)
    expect(replay(text, { reducer: reducer2 })).toMatchObject({ ok: true, verified: true })
    const viaStore = replay(text, { createStore: (s) => configureStore({ reducer: reducer2, preloadedState: s as never }) })
    expect(viaStore.divergence).toMatchObject({ kind: '@@lifecycle', diff: [{ path: 'upToOne.n', recorded: 0, replayed: 1 }] })
    expect(formatDivergence(viaStore)).toContain("hint: Replay built its store from this state (the @@lifecycle at seq 3), so Redux's INIT action reached its reducer")
  })

  it('gives no hint where the probe changes a sibling path only', async () => {
    // `seen.c` counts actions; `c.v` is reset by the replay store's preloaded state: the probe's
    // change (`seen.c`) neither holds nor is held by `c.v`.
    const seen2 = (s = { c: 0 }) => ({ c: s.c + 1 })
    const reducer3 = combineReducers({ c: counter.reducer, seen: seen2 })
    const text = await recordJump(reducer3)
    const viaStore = replay(text, { createStore: (s) => configureStore({ reducer: reducer3, preloadedState: { ...(s as object), c: { v: 0 } } as never }) })
    expect(viaStore.ok).toBe(false)
    expect(viaStore.divergence?.diff?.map((d) => d.path)).toEqual(['c.v', 'seen.c'])
    expect(formatDivergence(viaStore)).not.toContain("Redux's INIT action reached its reducer")
  })
})
