import { configureStore } from '@reduxjs/toolkit'
import { combineReducers, createStore } from 'redux'
import undoable, { ActionCreators } from 'redux-undo'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, type Recording } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { expectReplay } from 'redux-flight-recorder/testing'

// redux-undo with `ignoreInitialState: true` starts its history with `_latestUnfiltered: null`
// (the initial present is not to be added to `past`). A store built from that history as its
// preloaded state gets Redux's INIT action with it, which redux-undo takes for an ordinary action:
// `_latestUnfiltered` becomes the present, and the next action adds the present to `past`. A
// `createStore` replay built its store so, and failed at the header of every such log.

type Act = { type: string; payload?: string }
const shapes = (s: string[] = [], a: Act) => (a.type === 'shapes/added' ? [...s, a.payload!] : s)
const clicks = (n = 0, a: Act) => (a.type === 'clicked' ? n + 1 : n)

const undoableRoot = () => undoable(shapes, { ignoreInitialState: true })
const undoableSlice = () => combineReducers({ shapes: undoable(shapes, { ignoreInitialState: true }), clicks })

function play(dispatch: (a: Act) => unknown) {
  dispatch({ type: 'shapes/added', payload: 'a' })
  dispatch({ type: 'clicked' })
  dispatch({ type: 'shapes/added', payload: 'b' })
  dispatch(ActionCreators.undo())
  dispatch({ type: 'shapes/added', payload: 'c' })
}

async function recordWithCreateStore(): Promise<Recording> {
  const rec = createFlightRecorder()
  // Plain Redux, no preloaded state: the history starts with `_latestUnfiltered: null`.
  const store = createStore(undoableRoot(), rec.enhancer)
  play(store.dispatch)
  // Redux-undo kept the initial state out of `past`: ['a'] is the first.
  expect(store.getState().past).toEqual([['a']])
  await rec.close()
  return rec.snapshot()
}

describe('redux-undo (ignoreInitialState) replayed with createStore', () => {
  it('verifies a log recorded with plain createStore, replayed into a store built by createStore', async () => {
    const log = await recordWithCreateStore()
    expect(log.header.state).toMatchObject({ past: [], present: [], _latestUnfiltered: null })
    const result = replay(log, { createStore: (state) => createStore(undoableRoot(), state) })
    expect(formatDivergence(result)).toMatch(/^Replay ok/)
    expect(result).toMatchObject({ ok: true, verified: true, steps: 5, checked: 6 }) // (and @@end)
    expect(result.state).toEqual(log.end!.state)
    expectReplay(log, { createStore: (state) => createStore(undoableRoot(), state) })
    // (The reducer alone verified before too.)
    expect(replay(log, { reducer: undoableRoot() })).toMatchObject({ ok: true, verified: true })
  })

  it('verifies an undo slice of a configureStore app, replayed with configureStore, and still finds a real regression', async () => {
    const rec = createFlightRecorder()
    const store = configureStore({ reducer: undoableSlice(), enhancers: (g) => g().concat(rec.enhancer) })
    play(store.dispatch)
    await rec.close()
    const log = rec.snapshot()
    const result = replay(log, { createStore: (preloadedState) => configureStore({ reducer: undoableSlice(), preloadedState }) })
    expect(formatDivergence(result)).toMatch(/^Replay ok/)
    expect(result).toMatchObject({ ok: true, verified: true, steps: 5 })

    // The store built without a preloaded state is used only where it starts as the log does:
    // a reducer that counts twice still diverges where it first matters.
    const doubled = () => combineReducers({ shapes: undoable(shapes, { ignoreInitialState: true }), clicks: (n = 0, a: Act) => (a.type === 'clicked' ? n + 2 : n) })
    const broken = replay(log, { createStore: (preloadedState) => configureStore({ reducer: doubled(), preloadedState }) })
    expect(broken.ok).toBe(false)
    expect(broken.divergence).toMatchObject({ seq: 2, kind: 'clicked' })
  })

  it('a log that does not begin at the store creation: the report says why a store cannot start there, and what to do', async () => {
    const rec = createFlightRecorder()
    const store = createStore(undoableSlice(), rec.enhancer)
    play(store.dispatch)
    // clearHistory with ignoreInitialState: `_latestUnfiltered: null` again, mid-session.
    store.dispatch(ActionCreators.clearHistory())
    rec.clear() // the log from here on: its header holds that history
    store.dispatch({ type: 'shapes/added', payload: 'd' })
    store.dispatch({ type: 'clicked' })
    await rec.close()
    const log = rec.snapshot()
    expect(log.header.state).toMatchObject({ shapes: { past: [], present: ['a', 'c'], _latestUnfiltered: null } })

    const result = replay(log, { createStore: (state) => createStore(undoableSlice(), state) })
    expect(result.ok).toBe(false)
    expect(result.divergence).toMatchObject({ kind: '@@session', reason: 'state-mismatch' })
    expect(result.divergence!.diff).toEqual([{ path: 'shapes._latestUnfiltered', recorded: null, replayed: ['a', 'c'] }])
    const report = formatDivergence(result)
    expect(report).toContain("hint: redux-undo's `ignoreInitialState`: a store built from this state takes Redux's INIT for an action (its `_latestUnfiltered: null` becomes the present)")
    expect(report).toContain('Replay with `reducer`')
    // Rehashing the log would write the replay store's mistake into it: not advised.
    expect(report).not.toContain('flight-recorder rehash')

    // What the hint says works.
    expect(replay(log, { reducer: undoableSlice() })).toMatchObject({ ok: true, verified: true, steps: 2 })
  })

  it('one reducer for the recorded store and the replay store: the hint says to make it anew', async () => {
    const shared = undoableRoot()
    const rec = createFlightRecorder()
    const store = createStore(shared, rec.enhancer)
    play(store.dispatch)
    await rec.close()
    const log = rec.snapshot()
    // redux-undo keeps the first history it met in its closure: a store built without a state
    // from that reducer fails (it reads that state's `present`), and one built from the log's
    // state takes INIT for an action.
    const result = replay(log, { createStore: (state) => createStore(shared, state) })
    expect(result.ok).toBe(false)
    expect(result.divergence).toMatchObject({ kind: '@@session' })
    expect(formatDivergence(result)).toContain('make the undoable reducer anew in `createStore`')
    expect(replay(log, { createStore: (state) => createStore(undoableRoot(), state) })).toMatchObject({ ok: true, verified: true })
  })
})
