import { combineReducers, createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { diffStates, formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText as record } from '../helpers/recordText'
import { itemAdapter, loadItems } from '../helpers/items'

/**
 * A regression that sorts 5,000 entity ids the other way: past the bounded alignment, arrays
 * were compared index by index, so the report listed 50 ids "changed" and left no room for the
 * difference that matters. Elements that are all still there, in another order, are one difference.
 */

const items = (regressed: boolean) =>
  createSlice({
    name: 'items',
    initialState: itemAdapter.getInitialState(),
    reducers: {
      loaded: loadItems((i) => `e${String(i).padStart(4, '0')}`),
      sortedAndBumped(s, a: PayloadAction<string>) {
        s.ids.sort((x, y) => (regressed ? -1 : 1) * String(x).localeCompare(String(y)))
        s.entities[a.payload].qty += regressed ? 2 : 1
      },
    },
  })

describe('replay: a large array in another order', () => {
  it('is one difference, so the entity that changed is named too', async () => {
    const log = await record(combineReducers({ items: items(false).reducer }), (dispatch) => {
      dispatch(items(false).actions.loaded(5000))
      dispatch(items(false).actions.sortedAndBumped('e1234'))
    })
    const result = replay(log, { reducer: combineReducers({ items: items(true).reducer }) })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.diff!.map((x) => x.path)).toEqual(['items.ids.0', 'items.entities.e1234.qty'])
    expect(d.diff![0]).toMatchObject({ recorded: 'e0000', replayed: 'e4999', reordered: 5000 })
    expect(d.diff![1]).toMatchObject({ recorded: 1235, replayed: 1236 })
    expect(d.step!.map((x) => x.path)).toEqual(['items.ids.0', 'items.entities.e1234.qty'])
    const text = formatDivergence(result)
    expect(text).toContain('items.ids.0: "e0000" → "e4999" (the same 5000 elements from here on, in another order)')
    expect(text).toContain('items.entities.e1234.qty: 1235 → 1236')
    expect(text.split('\n').length).toBeLessThan(20)
  })

  it('says so in the recorded → replayed lines of a recorded step that changed nothing', async () => {
    const log = await record(combineReducers({ items: items(false).reducer }), (dispatch) => {
      dispatch(items(false).actions.loaded(5000))
      // Already in order: the recorded step changes nothing but the entity.
      dispatch(items(false).actions.sortedAndBumped('e1234'))
    })
    const sortOnly = (regressed: boolean): Reducer => {
      const slice = items(regressed)
      return combineReducers({ items: (s: ReturnType<typeof slice.reducer> | undefined, a: { type: string; payload?: unknown }) => (a.type === 'items/sortedAndBumped' ? { ...s!, ids: [...s!.ids].sort((x, y) => (regressed ? -1 : 1) * String(x).localeCompare(String(y))) } : slice.reducer(s, a as never)) })
    }
    const noop = await record(sortOnly(false), (dispatch) => {
      dispatch(items(false).actions.loaded(5000))
      dispatch(items(false).actions.sortedAndBumped('e1234'))
    })
    expect(log).not.toBe(noop)
    const d = replay(noop, { reducer: sortOnly(true) }).divergence!
    expect(d.seq).toBe(2)
    expect(d.stepNote).toContain('The recorded step changed nothing')
    expect(d.stepDiff).toEqual([{ path: 'items.ids.0', recorded: 'e0000', recordedKnown: true, replayed: 'e4999', reordered: 5000 }])
    const text = formatDivergence(d)
    const section = text.slice(text.indexOf('this step, recorded → replayed:'))
    expect(section).toContain('items.ids.0: "e0000" → "e4999" (the same 5000 elements from here on, in another order)')
  })

  it('still lists elements one by one when they are not the same ones', () => {
    const a = Array.from({ length: 300 }, (_, i) => i)
    const b = a.map((v) => (v === 150 ? -1 : v)).reverse()
    const diff = diffStates({ a }, { a: b })
    expect(diff.some((x) => 'reordered' in x)).toBe(false)
  })
})
