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
    expect(result.warnings.join('\n')).toContain('Replayed, seq 1 put a value in the state that the log does not list: state.when was a Date, hashed as its ISO string. Either the recorded state held another value there, which its hash cannot tell from this one, or the log was written by a recorder that did not list such values yet (before lossy values were tracked).')
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

  it("values the recorder was told to ignore (lossy.ignoredPaths, in the header) are not reported (review: such a log failed --strict)", async () => {
    const regressed = slice(true)
    const text = await recordText(regressed.reducer, (dispatch) => dispatch(regressed.actions.save()), { lossy: { ignoredPaths: ['when', /^x$/, 'tags'], warn: false } }, false)
    expect(JSON.parse(text.split('\n')[0]).lossy_ignored).toEqual(['when', { regexp: '^x$', flags: '' }, 'tags'])
    const result = replay(text, { reducer: regressed.reducer })
    expect(result.lossy).toEqual([])
    expect(() => expectReplay(text, { reducer: regressed.reducer })).not.toThrow()
  })

  it('many values the log lists do not use up what replay notes of its own (review: past 100, a new one went unseen)', async () => {
    const many = createSlice({
      name: 'many',
      initialState: { dates: [] as unknown[], x: null as unknown },
      reducers: {
        load(s) {
          for (let i = 0; i < 40; i++) s.dates.push(new Date(i))
        },
        bad(s, a: { type: string; payload: boolean }) {
          s.x = a.payload ? NaN : null
        },
      },
    })
    const text = await recordText(many.reducer, (dispatch) => {
      for (let i = 0; i < 4; i++) dispatch(many.actions.load())
      dispatch(many.actions.bad(false))
    }, { lossy: { warn: false } }, false)
    const regressed = { ...many, reducer: ((s: any, a: any) => many.reducer(s, a.type === 'many/bad' ? { ...a, payload: true } : a)) as typeof many.reducer }
    const result = replay(text, { reducer: regressed.reducer })
    expect(result.lossy.filter((l) => !l.replayed).length).toBeGreaterThan(100)
    expect(result.lossy.filter((l) => l.replayed).map((l) => [l.seq, l.path, l.kind])).toEqual([[5, 'x', 'non-finite']])
  })
})
