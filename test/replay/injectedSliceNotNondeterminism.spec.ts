import { combineSlices, createSlice } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

/**
 * After a divergence, replay runs the diverging step again to see whether the reducer is
 * deterministic. RTK's `combineSlices(…).inject` changes the combined reducer in place, and the
 * docs inject from `onStep` where the app did: a slice injected later in the replay is not the
 * step's nondeterminism (acceptance, session 26: "the reducer is not deterministic at this action
 * … lazy: (missing) → {"v":"init"}").
 */

const counter = (step: number) => createSlice({ name: 'counter', initialState: { n: 0 }, reducers: { inc: (s) => void (s.n += step) } })
const lazy = createSlice({ name: 'lazy', initialState: { v: 'init' }, reducers: { set: (s) => void (s.v = 'set') } })

describe('a slice injected from onStep after a divergence', () => {
  it('is not reported as the diverging step being nondeterministic', async () => {
    const live = combineSlices(counter(1))
    const text = await recordText(live as never, (dispatch) => {
      dispatch(counter(1).actions.inc())
      live.inject(lazy)
      dispatch(lazy.actions.set())
      dispatch(counter(1).actions.inc())
    })
    const replayed = combineSlices(counter(2))
    const result = replay(text, {
      reducer: replayed as never,
      onStep: (step) => {
        if (step.seq === 1) replayed.inject(lazy)
      },
    })
    const d = result.divergence!
    expect([d.seq, d.kind]).toEqual([1, 'counter/inc'])
    expect(d.nondeterministic).toBeUndefined()
    expect(formatDivergence(result)).not.toContain('not deterministic')
  })

  it('a reducer that is nondeterministic is still reported, beside an injected slice', async () => {
    let calls = 0
    const stamp = createSlice({ name: 'stamp', initialState: { id: 0 }, reducers: { next: (s) => void (s.id = Math.random()) } })
    const live = combineSlices(stamp)
    const text = await recordText(live as never, (dispatch) => {
      dispatch(stamp.actions.next())
      dispatch(stamp.actions.next())
    })
    const replayed = combineSlices(stamp)
    const result = replay(text, { reducer: replayed as never, onStep: () => void (calls++ === 0 && replayed.inject(lazy)) })
    const d = result.divergence!
    expect(d.seq).toBe(1)
    expect(d.nondeterministic!.map((x) => x.path)).toEqual(['stamp.id'])
  })
})
