import { configureStore, createSlice, type ThunkAction, type UnknownAction } from '@reduxjs/toolkit'
import { applyMiddleware, compose, createStore, type Middleware } from 'redux'
import { afterEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { createFlightRecorder as createLazyFlightRecorder } from 'redux-flight-recorder/lazy'
import { isActionEntry } from 'redux-flight-recorder/replay'

const log = createSlice({
  name: 'log',
  initialState: [] as string[],
  reducers: { note: (s, a: { payload: string }) => void s.push(a.payload) },
})
const { note } = log.actions
/** A plain thunk that dispatches twice, synchronously: one turn when the recorder's middleware is first. */
const twoNotes = (): ThunkAction<void, string[], unknown, UnknownAction> => (dispatch) => {
  dispatch(note('first'))
  dispatch(note('second'))
}

const NOT_FIRST = '`recorder.middleware` comes after a thunk middleware'
/** Lets the microtask that checks the middleware's place run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

let warn: MockInstance<typeof console.warn>
afterEach(() => {
  warn?.mockRestore()
  vi.unstubAllEnvs()
})
const spyWarn = () => (warn = vi.spyOn(console, 'warn').mockImplementation(() => {}))
const warnings = () => warn.mock.calls.map((c) => String(c[0]))

/** What reaches a middleware placed after the recorder's, and what the reducer receives. */
function witness() {
  const seen: unknown[] = []
  const reduced: unknown[] = []
  const middleware: Middleware = () => (next) => (action) => {
    seen.push(action)
    return next(action)
  }
  const reducer = (state: string[] | undefined, action: UnknownAction) => {
    if (!String(action.type).startsWith('@@redux/')) reduced.push(action)
    return log.reducer(state, action)
  }
  return { seen, reduced, middleware, reducer }
}

function turnsOf(recorder: FlightRecorder): (string | null)[] {
  return recorder.snapshot().entries.filter(isActionEntry).map((e) => e.turn)
}

describe('recorder.middleware after a thunk middleware', () => {
  it("warns once, naming `prepend`, with Redux Toolkit's `getDefaultMiddleware().concat(recorder.middleware)`, where a thunk's dispatches get a turn each", async () => {
    spyWarn()
    const recorder = createFlightRecorder()
    const make = () =>
      configureStore({
        reducer: log.reducer,
        middleware: (g) => g().concat(recorder.middleware),
        enhancers: (g) => g().concat(recorder.enhancer),
      })
    const store = make()
    store.dispatch(twoNotes())
    await settle()
    expect(turnsOf(recorder)).toEqual(['t1', 't2'])
    expect(warnings()).toEqual([expect.stringMatching(/^\[redux-flight-recorder\] `recorder\.middleware` comes after a thunk middleware.*getDefaultMiddleware\(\)\.prepend\(recorder\.middleware\)/)])
    warn.mockClear()
    // Once per recorder: not again for its next store (the new-store warning aside).
    make()
    await settle()
    expect(warnings().filter((w) => w.includes(NOT_FIRST))).toEqual([])
    expect(store.getState()).toEqual(['first', 'second'])
  })

  it('warns with the lazily loaded recorder too', async () => {
    spyWarn()
    const recorder = createLazyFlightRecorder()
    configureStore({ reducer: log.reducer, middleware: (g) => g().concat(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    await settle()
    await recorder.ready()
    expect(warnings()).toEqual([expect.stringContaining(NOT_FIRST)])
  })

  it("says nothing with `prepend`, where a thunk's dispatches share its turn, and nothing else in the store sees the check", async () => {
    spyWarn()
    const recorder = createFlightRecorder()
    const w = witness()
    const store = configureStore({
      reducer: w.reducer,
      middleware: (g) => g().prepend(recorder.middleware).concat(w.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    await settle()
    expect(w.seen).toEqual([])
    expect(w.reduced).toEqual([])
    store.dispatch(twoNotes())
    await settle()
    expect(turnsOf(recorder)).toEqual(['t1', 't1'])
    expect(w.seen).toEqual([note('first'), note('second')])
    expect(warn).not.toHaveBeenCalled()
  })

  it("says nothing when the recorder's middleware is the store's only one, and the reducer sees nothing of the check", async () => {
    spyWarn()
    const recorder = createFlightRecorder()
    const w = witness()
    const store = createStore(w.reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as never)
    await settle()
    expect(w.reduced).toEqual([])
    store.dispatch(note('a'))
    await settle()
    expect(w.reduced).toEqual([note('a')])
    expect(warn).not.toHaveBeenCalled()
  })

  it("says nothing for a recorder used without its middleware (every action its own turn, as documented)", async () => {
    spyWarn()
    const recorder = createFlightRecorder()
    const store = configureStore({ reducer: log.reducer, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(twoNotes())
    await settle()
    expect(turnsOf(recorder)).toEqual(['t1', 't2'])
    expect(warn).not.toHaveBeenCalled()
  })

  it('says nothing, and checks nothing, in production', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    spyWarn()
    const recorder = createFlightRecorder()
    const w = witness()
    configureStore({
      reducer: w.reducer,
      middleware: (g) => g().prepend(w.middleware).concat(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    await settle()
    expect(w.seen).toEqual([])
    expect(warn).not.toHaveBeenCalled()
  })
})
