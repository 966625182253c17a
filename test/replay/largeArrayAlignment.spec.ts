import { describe, expect, it } from 'vitest'
import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { diffStates, formatDivergence, replay } from 'redux-flight-recorder/replay'

// Arrays too large for the LCS table (over 40,000 cells: about 200 × 200 elements) were compared
// index by index, so one element removed from a list of 300 read as every later id changed.
// Beyond the table, elements are aligned by keys that do not repeat (ids, or JSON texts).
const list = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, price: i }))

describe('diffStates on arrays beyond the LCS table', () => {
  it.each([300, 3000])('one element removed from %i and every price changed: "removed", then the prices, not every id', (n) => {
    const recorded = list(n)
    const replayed = recorded.slice(1).map((x) => ({ ...x, price: x.price * 2 }))
    expect(diffStates(recorded, replayed, 3)).toEqual([
      { path: '0', recorded: { id: 0, price: 0 }, replayed: undefined, element: 'removed' },
      { path: '0.price', recorded: 1, replayed: 2 },
      { path: '1.price', recorded: 2, replayed: 4 },
    ])
  })

  it('one element inserted into 5,000 with ids (and one moved): two differences, each at the replayed index', () => {
    const recorded = list(5000)
    const replayed = [...recorded.slice(0, 1234), { id: 'new', price: 1 }, ...recorded.slice(1234)]
    expect(diffStates(recorded, replayed)).toEqual([{ path: '1234', recorded: undefined, replayed: { id: 'new', price: 1 }, element: 'inserted' }])
    // An element moved from the start to the end: removed there, inserted here (its ids in order elsewhere).
    const moved = [...recorded.slice(1, 2500), recorded[0], ...recorded.slice(2500)]
    expect(diffStates(recorded, moved)).toEqual([
      { path: '0', recorded: { id: 0, price: 0 }, replayed: undefined, element: 'removed' },
      { path: '2499', recorded: undefined, replayed: { id: 0, price: 0 }, element: 'inserted' },
    ])
  })

  it('without ids, unique elements align by their JSON; repeated ones fall back to index by index', () => {
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`)
    expect(diffStates(words, words.filter((w) => w !== 'w7'))).toEqual([{ path: '7', recorded: 'w7', replayed: undefined, element: 'removed' }])
    // Keys that repeat (0, 1, 2, 0, …): no alignment to trust, so index by index as before.
    const repeated = Array.from({ length: 400 }, (_, i) => i % 3)
    const shifted = [7, ...repeated.slice(0, 398), 8]
    expect(diffStates(repeated, shifted, 3)).toEqual([
      { path: '0', recorded: 0, replayed: 7 },
      { path: '1', recorded: 1, replayed: 0 },
      { path: '2', recorded: 2, replayed: 1 },
    ])
  })

  it('through a recorded log: the divergence report names the removed element, not 300 changed ids', async () => {
    const make = (bug: boolean) =>
      createSlice({
        name: 'shop',
        initialState: { list: [] as { id: number; price: number }[] },
        reducers: {
          loaded: (state, action: PayloadAction<{ id: number; price: number }[]>) => {
            state.list = action.payload.filter((x) => !(bug && x.id === 0)).map((x) => ({ ...x, price: bug ? x.price * 2 : x.price }))
          },
        },
      })
    const good = make(false)
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer: good.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(good.actions.loaded(list(300)))
    await recorder.close()
    const result = replay(sink.text(), { reducer: make(true).reducer })
    expect(result.divergence).toMatchObject({ seq: 1, kind: 'shop/loaded' })
    const report = formatDivergence(result)
    expect(report).toMatch(/list\.0: removed \{"id":0,"price":0\}/)
    expect(report).toMatch(/list\.0\.price: 1 → 2/)
    expect(report).not.toMatch(/list\.0\.id/)
  })
})
