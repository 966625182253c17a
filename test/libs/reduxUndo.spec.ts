import { combineReducers, configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import undoable, { ActionCreators, excludeAction } from 'redux-undo'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'

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
