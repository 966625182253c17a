import { createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { subtreeHashes } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

/**
 * With subtree hashes, a path the replayed step changed and the recorded one did not is listed
 * as a difference (the recorded value being the one before the step). A Date the regressed step
 * re-created at the same instant is not one: the log holds the same ISO string either way.
 */

const record = (reducer: Reducer, run: (dispatch: (a: unknown) => void) => void) => recordText(reducer, run, { subtreeHashes: subtreeHashes(), lossy: { warn: false } }, false)

const scores = (regressed: boolean) =>
  createSlice({
    name: 'scores',
    initialState: { seenAt: null as Date | null, byUser: { u1: 0, u2: 0 } as Record<string, number> },
    reducers: {
      seen(s, a: PayloadAction<number>) {
        s.seenAt = new Date(a.payload)
      },
      scored(s, a: PayloadAction<string>) {
        if (regressed) {
          // The regression: scores the wrong user, and re-stamps seenAt with the same instant.
          s.byUser.u1 += 1
          s.seenAt = new Date(s.seenAt!.getTime())
        } else s.byUser[a.payload] += 1
      },
    },
  })

describe('replay with subtree hashes: recorded → replayed at the step', () => {
  it('lists the score the regressed step changed, not a Date it re-created at the same instant', async () => {
    const good = scores(false)
    const log = await record(good.reducer, (dispatch) => {
      dispatch(good.actions.seen(Date.UTC(2024, 0, 1)))
      dispatch(good.actions.scored('u2'))
    })
    const result = replay(log, { reducer: scores(true).reducer })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.stepDiff!.map((x) => x.path).sort()).toEqual(['byUser.u1', 'byUser.u2'])
    const text = formatDivergence(result)
    expect(text).toContain('byUser.u1: 0 → 1')
    expect(text).not.toContain('seenAt')
  })
})
