import { combineReducers, createSlice } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText as record } from '../helpers/recordText'
import { itemAdapter, loadItems } from '../helpers/items'

/**
 * A recorded step that changed nothing (sorting ids already in order) replayed by a regressed
 * reducer that reorders them: the difference at the step is what the replayed step did, array
 * elements inserted and removed. Listed as "recorded → replayed", an element moved must not read
 * as a value gone missing from the state.
 */

const items = (descending: boolean) =>
  createSlice({
    name: 'items',
    initialState: itemAdapter.getInitialState(),
    reducers: {
      loaded: loadItems((i) => `e${String(i).padStart(2, '0')}`),
      sorted(s) {
        s.ids.sort((x, y) => (descending ? -1 : 1) * String(x).localeCompare(String(y)))
      },
    },
  })

describe('replay: a recorded no-op step, reordered by the regressed reducer', () => {
  it('lists the moved elements as inserted and removed in both sections, not as missing values', async () => {
    const log = await record(combineReducers({ items: items(false).reducer }), (dispatch) => {
      dispatch(items(false).actions.loaded(12)) // over 8 ids: elements, not the whole array (see diffStates)
      dispatch(items(false).actions.sorted())
    })
    const result = replay(log, { reducer: combineReducers({ items: items(true).reducer }) })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.stepNote).toContain('The recorded step changed nothing')
    expect(d.stepDiff!.filter((x) => x.element === 'removed').map((x) => x.recorded)).toEqual(d.step!.filter((x) => x.element === 'removed').map((x) => x.recorded))
    expect(d.stepDiff!.every((x) => x.element !== undefined)).toBe(true)
    const text = formatDivergence(result)
    const section = text.slice(text.indexOf('this step, recorded → replayed:'), text.indexOf('The recorded step changed nothing'))
    expect(section).not.toContain('(missing)')
    expect(section).toMatch(/items\.ids\.\d+: removed "e00"/)
  })
})
