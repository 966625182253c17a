import { combineReducers, configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import undoable, { ActionCreators, excludeAction } from 'redux-undo'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import type { FlightRecorder } from 'redux-flight-recorder'

const canvas = createSlice({
  name: 'canvas',
  initialState: { shapes: [] as { id: string; x: number }[], hover: null as string | null },
  reducers: {
    drawn(state, action: PayloadAction<{ id: string; x: number }>) {
      state.shapes.push(action.payload)
    },
    moved(state, action: PayloadAction<{ id: string; dx: number }>) {
      const s = state.shapes.find((v) => v.id === action.payload.id)
      if (s) s.x += action.payload.dx
    },
    hovered(state, action: PayloadAction<string | null>) {
      state.hover = action.payload
    },
  },
})

const makeReducer = (limit = 10) =>
  combineReducers({ canvas: undoable(canvas.reducer, { limit, filter: excludeAction(canvas.actions.hovered.type) }) })

describe('redux-undo', () => {
  it('records undo/redo/jump and replays ok with the reducer alone', async () => {
    const log = await recordSession(
      (rec) => configureStore({ reducer: makeReducer(), middleware: (g) => g().prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      (store) => {
        store.dispatch(canvas.actions.drawn({ id: 'a', x: 0 }))
        store.dispatch(canvas.actions.hovered('a'))
        store.dispatch(canvas.actions.moved({ id: 'a', dx: 5 }))
        store.dispatch(canvas.actions.drawn({ id: 'b', x: 1 }))
        store.dispatch(ActionCreators.undo())
        store.dispatch(ActionCreators.undo())
        store.dispatch(ActionCreators.redo())
        store.dispatch(ActionCreators.jumpToPast(0))
        store.dispatch(ActionCreators.jumpToFuture(1))
        store.dispatch(canvas.actions.moved({ id: 'a', dx: -2 }))
        store.dispatch(ActionCreators.clearHistory())
        expect(store.getState().canvas.present.shapes).toEqual([{ id: 'a', x: 3 }])
      },
    )
    const result = replay(log, { reducer: makeReducer() })
    expect(formatDivergence(result)).toMatch(/^Replay ok/)
    expect(result).toMatchObject({ ok: true, verified: true, steps: 11 })
    expectReplay(log, { reducer: makeReducer() })
    // A different history limit is a different reducer: replay says where it first matters.
    const shorter = replay(log, { reducer: makeReducer(1) })
    expect(shorter.ok).toBe(false)
    expect(shorter.divergence!.kind).toBe('canvas/moved')
  })
})

// JSON cannot carry redux-undo's link `_latestUnfiltered === present`, and redux-undo restores it
// only the first time its reducer meets a history (it keeps that state in a closure). With a
// reducer that had already run — the one the app recorded with, an earlier replay's — every action
// that left the undo slice alone added a step to `past`, and every replay after the first diverged
// at the first such action (replaySuite over two logs, recordSession + expectReplay, `-u`, shrink).
describe('redux-undo with one reducer for recording and every replay', () => {
  const other = createSlice({ name: 'other', initialState: 0, reducers: { bumped: (n) => n + 1 } })
  const makeApp = () =>
    combineReducers({
      canvas: undoable(canvas.reducer, { limit: 10, filter: excludeAction(canvas.actions.hovered.type) }),
      other: other.reducer,
    })

  const session = (reducer: ReturnType<typeof makeApp>, more: (store: { dispatch: (a: unknown) => unknown }) => void = () => {}) =>
    recordSession(
      (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      (store) => {
        store.dispatch(other.actions.bumped())
        store.dispatch(canvas.actions.drawn({ id: 'a', x: 0 }))
        store.dispatch(other.actions.bumped())
        store.dispatch(canvas.actions.moved({ id: 'a', dx: 5 }))
        store.dispatch(ActionCreators.undo())
        store.dispatch(other.actions.bumped())
        more(store)
      },
    )

  it('replays verified each time, and ends in the recorded state', async () => {
    const reducer = makeApp()
    const log = await session(reducer)
    for (let i = 0; i < 3; i++) {
      const result = replay(log, { reducer })
      expect(formatDivergence(result)).toMatch(/^Replay ok/)
      expect(result).toMatchObject({ ok: true, verified: true, steps: 6 })
      expect(JSON.stringify(result.state)).toBe(JSON.stringify(log.end!.state))
    }
    expectReplay(log, { reducer })
  })

  it('blames the step a bug changes, not the first action that leaves the history alone', async () => {
    const log = await session(makeApp())
    const broken = createSlice({
      ...canvas,
      name: 'canvas',
      initialState: canvas.getInitialState(),
      reducers: {
        ...canvas.caseReducers,
        moved(state, action: PayloadAction<{ id: string; dx: number }>) {
          const s = state.shapes.find((v) => v.id === action.payload.id)
          if (s) s.x += action.payload.dx * 2
        },
      },
    })
    const reducer = combineReducers({ canvas: undoable(broken.reducer, { limit: 10, filter: excludeAction(canvas.actions.hovered.type) }), other: other.reducer })
    replay(log, { reducer }) // the reducer has run once: redux-undo no longer relinks on its own
    const result = replay(log, { reducer })
    expect(result.ok).toBe(false)
    expect(result.divergence).toMatchObject({ seq: 4, kind: 'canvas/moved' })
  })

  it('keeps a history whose latest unfiltered state is not its present (a filtered action last), from a checkpoint', async () => {
    const reducer = makeApp()
    let rec!: FlightRecorder
    const log = await recordSession(
      (r) => {
        rec = r
        return configureStore({ reducer, middleware: (g) => g().prepend(r.middleware), enhancers: (g) => g().concat(r.enhancer) })
      },
      (store) => {
        store.dispatch(canvas.actions.drawn({ id: 'a', x: 0 }))
        rec.pause()
        store.dispatch(canvas.actions.hovered('a')) // filtered: present changes, _latestUnfiltered stays
        rec.resume() // replay starts over from this checkpoint's state
        store.dispatch(canvas.actions.moved({ id: 'a', dx: 1 })) // puts _latestUnfiltered (hover null) into `past`
        store.dispatch(other.actions.bumped())
      },
    )
    const checkpoint = log.entries.find((e) => e.kind === '@@checkpoint') as { state: { canvas: { present: { hover: unknown }; _latestUnfiltered: { hover: unknown } } } }
    expect(checkpoint.state.canvas.present.hover).toBe('a')
    expect(checkpoint.state.canvas._latestUnfiltered.hover).toBe(null)
    for (let i = 0; i < 2; i++) {
      const result = replay(log, { reducer })
      expect(formatDivergence(result)).toMatch(/^Replay ok/)
      expect(result).toMatchObject({ ok: true, verified: true })
    }
  })
})
