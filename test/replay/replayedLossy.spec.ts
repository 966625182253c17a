import { createSlice } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { replay } from 'redux-flight-recorder/replay'
import { expectReplay } from 'redux-flight-recorder/testing'
import { recordText } from '../helpers/recordText'

/**
 * A regression that only changes a value into one JSON cannot carry (a Date where a string was,
 * NaN where null was, a Map where an object was) hashes as the recorded state did: replay reports
 * those values, found in the replayed states, where the log lists none (acceptance, session 26:
 * `verify --strict` said ok, `replay` verified with `lossy: []`).
 */

const slice = (regressed: boolean) =>
  createSlice({
    name: 'doc',
    initialState: { x: null as unknown, when: '' as unknown, tags: {} as unknown, n: 0 },
    reducers: {
      save(s) {
        s.n += 1
        s.x = regressed ? NaN : null
        s.when = regressed ? new Date(0) : new Date(0).toISOString()
        s.tags = regressed ? new Map() : {}
      },
    },
  })

async function log(): Promise<string> {
  const recorded = slice(false)
  return recordText(recorded.reducer, (dispatch) => {
    dispatch(recorded.actions.save())
    dispatch(recorded.actions.save())
  })
}

describe('lossy values found only in the replayed state', () => {
  it('are reported with the step that made them, as lossy values, and fail the test helpers unless allowed', async () => {
    const text = await log()
    const clean = replay(text, { reducer: slice(false).reducer })
    expect([clean.ok, clean.verified, clean.lossy]).toEqual([true, true, []])

    const regressed = slice(true).reducer
    const result = replay(text, { reducer: regressed })
    // The hashes cannot tell: every step still matches.
    expect([result.ok, result.verified]).toEqual([true, true])
    expect(result.lossy.map((l) => [l.seq, l.where, l.path, l.kind, l.replayed])).toEqual([
      [1, 'state', 'x', 'non-finite', true],
      [1, 'state', 'when', 'date', true],
      [1, 'state', 'tags', 'map', true],
    ])
    expect(result.warnings.join('\n')).toContain('Replayed, seq 1 put a value in the state that the log does not list: state.when was a Date, hashed as its ISO string.')
    expect(() => expectReplay(text, { reducer: regressed })).toThrow(/state\.x/)
    expect(() => expectReplay(text, { reducer: regressed, allowLossy: ['state.x', 'state.when', 'state.tags'] })).not.toThrow()
  })

  it('values the log lists at the same path (recorded in that form) are not reported again', async () => {
    const regressed = slice(true)
    // Recorded with the Date, NaN and Map: the log lists them, and replay of the same reducer adds nothing.
    const text = await recordText(regressed.reducer, (dispatch) => dispatch(regressed.actions.save()), {}, false)
    const result = replay(text, { reducer: regressed.reducer })
    expect(result.lossy.length).toBeGreaterThan(0)
    expect(result.lossy.filter((l) => l.replayed)).toEqual([])
    expect(result.warnings.some((w) => w.startsWith('Replayed,'))).toBe(false)
  })
})
