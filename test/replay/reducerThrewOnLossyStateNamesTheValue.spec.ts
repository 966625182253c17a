import { createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { enableMapSet } from 'immer'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

enableMapSet()

/**
 * A state holding a Map: the log holds it as `{}`, so a reducer that calls the Map's methods throws
 * on replay, with or without a regression. The report must say that the value it ran on is not
 * what the app had, rather than leave the reader to look for a bug at that step.
 */

const record = (reducer: Reducer, run: (dispatch: (a: unknown) => void) => void) => recordText(reducer, run, { lossy: { warn: false } }, false)

const hits = createSlice({
  name: 'hits',
  initialState: { cache: new Map<string, number>(), total: 0 },
  reducers: {
    hit(s, a: PayloadAction<string>) {
      s.cache.set(a.payload, (s.cache.get(a.payload) ?? 0) + 1)
      s.total += 1
    },
  },
})

describe('replay: a reducer that throws on a value the log holds in another form', () => {
  it('names the state value the log could not hold as it was', async () => {
    const log = await record(hits.reducer, (dispatch) => {
      dispatch(hits.actions.hit('a'))
      dispatch(hits.actions.hit('b'))
    })
    const result = replay(log, { reducer: hits.reducer })
    const d = result.divergence!
    expect(d.reason).toBe('reducer-threw')
    expect(d.seq).toBe(1)
    const text = formatDivergence(result)
    expect(text).toContain('reducer threw: TypeError')
    expect(d.hint).toContain('state.cache is a Map')
    expect(text).toContain('hint: ')
    expect(text).toContain('state.cache is a Map')
  })

  it('adds nothing when the state holds no such value', async () => {
    const plain = (limit: number) =>
      createSlice({
        name: 'plain',
        initialState: { total: 0 },
        reducers: {
          hit(s, a: PayloadAction<number>) {
            if (a.payload > limit) throw new Error('over the limit')
            s.total += a.payload
          },
        },
      })
    const log = await record(plain(1).reducer, (dispatch) => dispatch(plain(1).actions.hit(1)))
    const d = replay(log, { reducer: plain(0).reducer }).divergence!
    expect(d.reason).toBe('reducer-threw')
    expect(d.hint).toBeUndefined()
  })
})
