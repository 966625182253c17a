import { instrument, ActionCreators } from '@redux-devtools/instrument'
import { combineReducers, compose, createStore, type Action, type StoreEnhancer } from 'redux'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'
import { formatDivergence, isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { added, filterSlice, rootReducer, todosSlice, toggled } from '../helpers/todoApp'

const orders: [string, (rec: StoreEnhancer) => StoreEnhancer][] = [
  // compose(a, b)(createStore) = a(b(createStore)): b is innermost
  ['recorder innermost, instrument outside it', (rec) => compose(instrument() as StoreEnhancer, rec)],
  ['instrument innermost, recorder outside it', (rec) => compose(rec, instrument() as StoreEnhancer)],
]

describe.each(orders)('with @redux-devtools/instrument: %s', (_name, enhancer) => {
  it('records each dispatched action once, not its recomputations, and notes a jump with a checkpoint', () => {
    const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
    const store = createStore(rootReducer, enhancer(recorder.enhancer)) as ReturnType<typeof createStore> & { liftedStore: any }
    expect(store.liftedStore).toBeDefined()
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(added({ id: 'b', title: 'bread', done: false }))
    store.dispatch(toggled('a'))
    // DevTools toggles an action off (recomputes everything after it), then jumps back in time.
    store.liftedStore.dispatch(ActionCreators.toggleAction(2))
    store.liftedStore.dispatch(ActionCreators.jumpToState(1))
    store.dispatch(toggled('a'))
    const rec = recorder.snapshot()
    const actions = rec.entries.filter(isActionEntry)
    expect(actions.map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/toggled', 'todos/toggled'])
    const notes = rec.entries.filter((e) => e.kind === '@@lifecycle')
    expect(notes.length).toBeGreaterThanOrEqual(2)
    for (const n of notes) expect(n).toHaveProperty('state')
    const result = replay(rec, { reducer: rootReducer })
    expect(result.ok).toBe(true)
  })

  it('records a hot reload (replaceReducer) as @@replaceReducer: replay stops there without onReplaceReducer and verifies with it', () => {
    const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
    const store = createStore(rootReducer, enhancer(recorder.enhancer)) as ReturnType<typeof createStore> & { liftedStore: any }
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    // The new reducer counts toggles in a slice of its own.
    const reloaded = combineReducers({ todos: todosSlice.reducer, filter: filterSlice.reducer, toggles: (n: number = 0, a: { type: string }) => (a.type === toggled.type ? n + 1 : n) })
    store.replaceReducer(reloaded as never)
    store.dispatch(toggled('a'))
    store.dispatch(toggled('a'))
    expect((store.getState() as { toggles: number }).toggles).toBe(2)
    const rec = recorder.snapshot()
    expect(rec.entries.filter((e) => !e.kind.startsWith('@@lifecycle')).map((e) => e.kind)).toEqual(['todos/added', '@@replaceReducer', 'todos/toggled', 'todos/toggled'])
    const without = replay(rec, { reducer: rootReducer })
    expect(without.divergence ?? null).toBeNull()
    expect(without.stopped?.reason).toMatch(/replaces the reducer at seq \d+; pass `onReplaceReducer`/)
    const withIt = replay(rec, { reducer: rootReducer, onReplaceReducer: () => reloaded as never })
    expect(withIt.ok, withIt.ok ? '' : formatDivergence(withIt)).toBe(true)
    expect(withIt.verified).toBe(true)
    expect(withIt.state).toEqual(store.getState())
  })
})

describe('without `devtools: devToolsInstrument()`', () => {
  it('warns once in development that a store with the instrument needs the opt-in, and the app keeps working', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const recorder = createFlightRecorder()
      const store = createStore(rootReducer, compose(recorder.enhancer, instrument() as StoreEnhancer) as StoreEnhancer) as ReturnType<typeof createStore> & { liftedStore: any }
      store.dispatch(added({ id: 'a', title: 'milk', done: false }))
      store.dispatch(added({ id: 'b', title: 'bread', done: false }))
      // Toggling the first action off recomputes the second: without the opt-in that call is recorded again.
      store.liftedStore.dispatch(ActionCreators.toggleAction(1))
      expect((store.getState() as ReturnType<typeof rootReducer>).todos.ids).toEqual(['b'])
      const said = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('devToolsInstrument()'))
      expect(said).toHaveLength(1)
      expect(said[0]).toMatch(/^\[redux-flight-recorder\] This store has Redux DevTools' instrument/)
      const kinds = recorder.snapshot().entries.filter(isActionEntry).map((e) => e.kind)
      expect(kinds).toEqual(['todos/added', 'todos/added', 'todos/added'])
    } finally {
      warn.mockRestore()
    }
  })

  it('with the instrument outside the recorder, the replay report says the log holds the lifted store and names the option', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const recorder = createFlightRecorder()
      const store = createStore(rootReducer, orders[0][1](recorder.enhancer))
      store.dispatch(added({ id: 'a', title: 'milk', done: false }))
      const rec = recorder.snapshot()
      expect(rec.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['PERFORM_ACTION'])
      const result = replay(rec, { reducer: rootReducer })
      expect(result.ok).toBe(false)
      expect(result.divergence?.hint).toMatch(/^This log holds Redux DevTools' lifted store/)
      expect(formatDivergence(result)).toContain("`devtools: devToolsInstrument()` from 'redux-flight-recorder/devtools'")
    } finally {
      warn.mockRestore()
      error.mockRestore()
    }
  })

  it('rejects a `devtools` option that is not devToolsInstrument(), in development', () => {
    expect(() => createFlightRecorder({ devtools: true as never })).toThrow("[redux-flight-recorder] Expected `devtools` to be `devToolsInstrument()` from 'redux-flight-recorder/devtools'. Instead, received: boolean true.")
  })
})

/** Three actions, then DevTools jumps back to the state after the first: no action follows it. */
function jumpLast(options: Parameters<typeof createFlightRecorder>[0], enhancer: (rec: StoreEnhancer) => StoreEnhancer, sink?: ReturnType<typeof memorySink>) {
  const recorder = createFlightRecorder({ ...options, sinks: sink ? [sink] : [] })
  const store = createStore(rootReducer, enhancer(recorder.enhancer)) as ReturnType<typeof createStore> & { liftedStore: any }
  store.dispatch(added({ id: 'a', title: 'milk', done: false }))
  store.dispatch(added({ id: 'b', title: 'bread', done: false }))
  store.dispatch(toggled('a'))
  store.liftedStore.dispatch(ActionCreators.jumpToAction(1))
  expect((store.getState() as ReturnType<typeof rootReducer>).todos.ids).toEqual(['a'])
  return { recorder, store }
}

const cases: [string, Parameters<typeof createFlightRecorder>[0], (rec: StoreEnhancer) => StoreEnhancer][] = [
  ['with the opt-in, recorder innermost', { devtools: devToolsInstrument() }, orders[0][1]],
  ['with the opt-in, instrument innermost', { devtools: devToolsInstrument() }, orders[1][1]],
  // The extension's usual order without the opt-in: recorded as a plain store.
  ['without the opt-in, instrument innermost', {}, orders[1][1]],
]

describe.each(cases)('a time travel with no action after it (%s)', (_name, options, enhancer) => {
  it('is in the log before `@@end`, and the log replays to the jumped-to state', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const sink = memorySink()
      const { recorder, store } = jumpLast(options, enhancer, sink)
      await recorder.close()
      const rec = parseRecording(sink.text())
      const kinds = rec.entries.map((e) => e.kind)
      expect(kinds.slice(-1)).toEqual(['@@lifecycle'])
      expect(rec.end?.state).toEqual(store.getState())
      const result = replay(rec, { reducer: rootReducer })
      expect(result.divergence ?? null).toBeNull()
      expect(result.ok).toBe(true)
    } finally {
      warn.mockRestore()
    }
  })

  it('is in a snapshot with the final state before its checkpoint, and the snapshot replays', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const { recorder, store } = jumpLast(options, enhancer)
      const rec = recorder.snapshot({ finalState: true })
      expect(rec.entries.slice(-2).map((e) => e.kind)).toEqual(['@@lifecycle', '@@checkpoint'])
      expect((rec.entries.at(-1) as { state: unknown }).state).toEqual(store.getState())
      const result = replay(rec, { reducer: rootReducer })
      expect(result.divergence ?? null).toBeNull()
      expect(result.ok).toBe(true)
    } finally {
      warn.mockRestore()
    }
  })
})

describe('instrument inside the recorder, recorded without the opt-in', () => {
  it("replay's report names DevTools' instrument at its `@@INIT` entry, and does not advise rehashing", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      // A reducer that counts every action it gets: DevTools' reset runs it from `undefined` with
      // its `@@INIT`, which replay does with `reducer`; a `createStore` replay's store built without
      // a state gets Redux's INIT first, so it cannot reach the recorded count there.
      const counting = (state: { todos: ReturnType<typeof rootReducer>; seen: number } | undefined, action: Action) => ({
        todos: rootReducer(state?.todos, action as never),
        seen: (state?.seen ?? 0) + 1,
      })
      const recorder = createFlightRecorder()
      const store = createStore(counting, compose(recorder.enhancer, instrument() as StoreEnhancer) as StoreEnhancer) as ReturnType<typeof createStore> & { liftedStore: any }
      store.dispatch(added({ id: 'a', title: 'milk', done: false }))
      store.dispatch(toggled('a'))
      // DevTools' reset recomputes from its committed state through its own `@@INIT` action.
      store.liftedStore.dispatch(ActionCreators.reset())
      store.dispatch(added({ id: 'b', title: 'bread', done: false }))
      const rec = recorder.snapshot()
      expect(rec.entries.some((e) => e.kind === '@@INIT')).toBe(true)
      const viaReducer = replay(rec, { reducer: counting })
      expect(viaReducer.ok, viaReducer.ok ? '' : formatDivergence(viaReducer)).toBe(true)
      const result = replay(rec, { createStore: (state) => createStore(counting, state) })
      expect(result.ok).toBe(false)
      expect(result.divergence!.kind).toBe('@@INIT')
      const text = formatDivergence(result)
      expect(text).toContain("`@@INIT` is Redux DevTools' instrument's own action")
      expect(text).toContain('devToolsInstrument()')
      expect(text).not.toContain('flight-recorder rehash')
    } finally {
      warn.mockRestore()
    }
  })
})
