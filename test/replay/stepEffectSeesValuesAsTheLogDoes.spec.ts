import { configureStore, createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { diffStates, formatDivergence, replay } from 'redux-flight-recorder/replay'

/**
 * The diverging step's own effect (`divergence.step`) is taken from live states, which may hold
 * values the log holds in another form (a Date as its ISO string, NaN as null). It must name what
 * changed as the log sees it: a Date moved to another instant is a change, a Date equal to the ISO
 * string the state held before is not.
 */

async function record(reducer: Reducer, preloadedState: unknown, run: (dispatch: (a: unknown) => void) => void): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, onError: () => {}, lossy: { ignoredPaths: ['session.startedAt'] } })
  const store = configureStore({
    reducer,
    preloadedState: preloadedState as never,
    // The state holds a Date on purpose (that is the case under test).
    middleware: (g) => g({ serializableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  run((a) => store.dispatch(a as never))
  await recorder.close()
  return sink.text()
}

const T0 = Date.UTC(2024, 0, 1)

const sessionSlice = (regressed: boolean) =>
  createSlice({
    name: 'session',
    initialState: { startedAt: new Date(T0), visits: 0 },
    reducers: {
      // Normalises the start time (a new Date, same instant) and counts the visit.
      visited(s) {
        s.startedAt = new Date(s.startedAt)
        s.visits += regressed ? 2 : 1
      },
      restarted(s, a: PayloadAction<number>) {
        s.startedAt = new Date(regressed ? a.payload + 1000 : a.payload)
      },
    },
  })

const reducerOf = (regressed: boolean): Reducer => {
  const slice = sessionSlice(regressed)
  return (state, action) => ({ session: slice.reducer((state as { session?: never } | undefined)?.session, action) })
}

describe('replay: the diverging step seen as the log sees it', () => {
  it('does not blame a Date the step re-created at the same instant (the log holds it as the same ISO string)', async () => {
    const log = await record(reducerOf(false), { session: { startedAt: new Date(T0), visits: 0 } }, (dispatch) => {
      dispatch({ type: 'session/visited' })
    })
    const result = replay(log, { reducer: reducerOf(true) })
    const d = result.divergence!
    expect(d.seq).toBe(1)
    expect(d.step).toEqual([{ path: 'session.visits', recorded: 0, replayed: 2 }])
    const text = formatDivergence(result)
    expect(text).toContain('session.visits: 0 → 2')
    expect(text).not.toContain('session.startedAt')
  })

  it('names a Date the regressed step moved to another instant, as ISO strings', async () => {
    const log = await record(reducerOf(false), undefined, (dispatch) => {
      dispatch({ type: 'session/restarted', payload: T0 + 60_000 })
      dispatch({ type: 'session/restarted', payload: T0 + 120_000 })
    })
    const result = replay(log, { reducer: reducerOf(true) })
    const d = result.divergence!
    expect(d.seq).toBe(1)
    expect(d.step!.map((x) => x.path)).toEqual(['session.startedAt'])
    expect(formatDivergence(result)).toContain('session.startedAt: "2024-01-01T00:00:00.000Z" → "2024-01-01T00:01:01.000Z"')
  })

  it('names a Date the step changed when the state before it already held a Date (not only a string from the log)', async () => {
    const log = await record(reducerOf(false), undefined, (dispatch) => {
      dispatch({ type: 'session/visited' })
      dispatch({ type: 'session/restarted', payload: T0 + 60_000 })
    })
    // Only the second action regresses: replay reaches it with a live Date in the state.
    const good = sessionSlice(false)
    const bad = sessionSlice(true)
    const reducer: Reducer = (state, action) => ({
      session: (bad.actions.restarted.match(action) ? bad : good).reducer((state as { session?: never } | undefined)?.session, action),
    })
    const result = replay(log, { reducer })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.step).toHaveLength(1)
    expect(d.step![0].path).toBe('session.startedAt')
    const text = formatDivergence(result)
    expect(text).not.toContain('this step, replayed: changed nothing')
    expect(text).toContain('session.startedAt: "2024-01-01T00:00:00.000Z" → "2024-01-01T00:01:01.000Z"')
  })

  it('diffStates compares live values as JSON writes them, and keeps the values in what it lists', () => {
    const iso = new Date(T0).toISOString()
    expect(diffStates({ at: iso, n: null }, { at: new Date(T0), n: NaN })).toEqual([])
    // Dates inside arrays: not taken for equal because they have no keys of their own.
    expect(diffStates({ at: [new Date(T0)] }, { at: [new Date(T0 + 1000)] })).toEqual([{ path: 'at.0', recorded: new Date(T0), replayed: new Date(T0 + 1000) }])
  })
})
