import { configureStore, createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { enableMapSet } from 'immer'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

enableMapSet()

/**
 * Acceptance run, session 33 (M2): a step that diverges because of a value the log holds in another
 * form (a Date as its ISO string, a Map as `{}`) must say so in its hint, naming that value (the
 * action's own first), so that the report does not advise updating the log and `-u` does not write
 * states the app never had. No such hint where the values do not change what the step does.
 */

const record = (reducer: Reducer, run: (dispatch: (a: unknown) => void) => void) => recordText(reducer, run, { lossy: { warn: false } }, false)

type Dated = { at: Date | null; year: number | string | null }
/** The acceptance run's reducer: step 2 reads `state.at` as a Date. */
const dated: Reducer<Dated> = (s = { at: null, year: null }, a: any) =>
  a.type === 'date' ? { ...s, at: a.payload.at } : a.type === 'year' ? { ...s, year: s.at instanceof Date ? s.at.getUTCFullYear() : 'not-a-date' } : s

describe('replay: a divergence that a lossy value explains', () => {
  it('names the state Date a later step reads (hash mismatch), says the step run again with it reaches the recorded state, and leaves out the advice to update the log', async () => {
    const log = await record(dated, (dispatch) => {
      dispatch({ type: 'date', payload: { at: new Date(Date.UTC(2020, 1, 2)) } })
      dispatch({ type: 'year' })
    })
    const result = replay(log, { reducer: dated })
    const d = result.divergence!
    expect(d.reason).toBe('hash-mismatch')
    expect(d.seq).toBe(2)
    expect(d.hint).toBe(
      'This step depends on values the log holds in another form (state.at was a Date, logged as its ISO string): run again with it restored, it reaches the recorded state. Updating the log would write states the app never had: keep such values out of actions and state.',
    )
    const text = formatDivergence(result)
    expect(text).toContain('  hint: This step depends on values the log holds in another form (state.at was a Date')
    expect(text).not.toContain('run the tests with -u')
    expect(text).not.toContain('flight-recorder rehash')
  })

  it("names the action's own Date, not the state's Map, when the reducer throws on the action's value", async () => {
    // The acceptance run's `lossy-blame` case: the state holds a Map (logged as {}), the action a Date.
    const reducer: Reducer = (s = { t: 0, m: new Map() }, a: any) => (a.type === 'when' ? { ...s, t: a.payload.at.getTime() } : s)
    const log = await record(reducer, (dispatch) => dispatch({ type: 'when', payload: { at: new Date(5) } }))
    expect(log).toContain('"lossy":[{"path":"m","kind":"map"}]')
    const d = replay(log, { reducer }).divergence!
    expect(d.reason).toBe('reducer-threw')
    expect(d.hint).toBe(
      'This step depends on values the log holds in another form (payload.at was a Date, logged as its ISO string): run again with it restored, it no longer throws and reaches the recorded state. Updating the log would write states the app never had: keep such values out of actions and state.',
    )
    expect(d.hint).not.toContain('state.m')
  })

  it("names the state's Map when the reducer throws on it (an empty Map put back)", async () => {
    const hits = createSlice({
      name: 'hits',
      initialState: { cache: new Map<string, number>(), when: new Date(0), total: 0 },
      reducers: {
        hit(s, a: PayloadAction<string>) {
          s.cache.set(a.payload, 1)
          s.total += 1
        },
      },
    })
    const log = await record(hits.reducer, (dispatch) => dispatch(hits.actions.hit('a')))
    const d = replay(log, { reducer: hits.reducer }).divergence!
    expect(d.reason).toBe('reducer-threw')
    expect(d.hint).toContain('(state.cache is a Map: its contents are not in the log or the hash): run again with it restored (a Map or Set empty), it no longer throws')
    expect(d.hint).not.toContain('state.when')
  })

  it('adds no such hint where the lossy values do not change what the step does (a reducer changed on purpose)', async () => {
    // The action carries a Date the reducer only stores; the reducer now counts by 2: the advice to update stands.
    const counter = (by: number): Reducer => (s = { n: 0, at: null }, a: any) => (a.type === 'inc' ? { n: s.n + by, at: a.payload.at } : s)
    const log = await record(counter(1), (dispatch) => {
      dispatch({ type: 'inc', payload: { at: new Date(7) } })
      dispatch({ type: 'inc', payload: { at: new Date(8) } })
    })
    const result = replay(log, { reducer: counter(2) })
    expect(result.divergence!.reason).toBe('hash-mismatch')
    expect(result.divergence!.hint).toBeUndefined()
    expect(formatDivergence(result)).toContain('run the tests with -u')
  })

  it('adds no such hint for a reducer that differs run to run (the Date put back changes nothing the step reads)', async () => {
    let calls = 0
    const noisy: Reducer = (s = { at: null, r: 0 }, a: any) => (a.type === 'date' ? { ...s, at: a.payload.at } : a.type === 'roll' ? { ...s, r: ++calls } : s)
    const log = await record(noisy, (dispatch) => {
      dispatch({ type: 'date', payload: { at: new Date(9) } })
      dispatch({ type: 'roll' })
    })
    calls = 10
    const d = replay(log, { reducer: noisy }).divergence!
    expect(d.reason).toBe('hash-mismatch')
    expect(d.seq).toBe(2)
    expect(d.hint).toBeUndefined()
  })

  it('names the Date where the app threw on it and replay, on its ISO string, no longer throws (in place of "it no longer throws")', async () => {
    const reducer: Reducer = (s = { at: null, label: '' }, a: any) => (a.type === 'date' ? { ...s, at: a.payload.at } : a.type === 'label' ? { ...s, label: s.at.toUpperCase() } : s)
    const log = await record(reducer, (dispatch) => {
      dispatch({ type: 'date', payload: { at: new Date(0) } })
      expect(() => dispatch({ type: 'label' })).toThrow(TypeError)
    })
    expect(log).toContain('"threw":{"name":"TypeError"')
    const result = replay(log, { reducer })
    const d = result.divergence!
    expect(d.reason).toBe('hash-mismatch')
    expect(d.seq).toBe(2)
    expect(d.hint).toContain('This step depends on values the log holds in another form (state.at was a Date, logged as its ISO string): run again with it restored, it throws.')
    expect(formatDivergence(result)).not.toContain('run the tests with -u')
  })

  it('names a class instance (which cannot be put back) as a maybe when the reducer throws on the state', async () => {
    class User {
      constructor(readonly name: string) {}
      greet() {
        return `hi ${this.name}`
      }
    }
    const reducer: Reducer = (s = { user: new User('ann'), said: '' }, a: any) => (a.type === 'greet' ? { ...s, said: s.user.greet() } : s)
    const log = await record(reducer, (dispatch) => dispatch({ type: 'greet' }))
    const d = replay(log, { reducer }).divergence!
    expect(d.reason).toBe('reducer-threw')
    expect(d.hint).toBe('The reducer ran on values the log holds in another form (state.user was a User instance, logged as its own fields, without its class), which may be why it threw.')
  })

  it('names the Date with a createStore replay (configureStore), run again in a store of its own', async () => {
    const log = await record(dated, (dispatch) => {
      dispatch({ type: 'date', payload: { at: new Date(Date.UTC(2020, 1, 2)) } })
      dispatch({ type: 'year' })
    })
    const result = replay(log, { createStore: (pre) => configureStore({ reducer: dated, preloadedState: pre, middleware: (g) => g({ serializableCheck: false }) }) })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.hint).toContain('This step depends on values the log holds in another form (state.at was a Date, logged as its ISO string): run again with it restored, it reaches the recorded state.')
    expect(formatDivergence(result)).not.toContain('run the tests with -u')
  })
})
