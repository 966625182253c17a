// helper-150 D4: docs/api/replay.md tells a `createStore` replay of a log that goes on in a new store
// after a purge (a reload) to pass `onReplaceReducer: () => makePersisted(memoryStorage())`. Replay
// gave the store built from the new store's state that reducer with `replaceReducer`, whose REPLACE
// action reached it: a reducer that notes every action counted one the recorded app's never got,
// the log diverged at the new store's PERSIST, and the report blamed a mutation in place.
import { combineReducers, configureStore, createSlice } from '@reduxjs/toolkit'
import { FLUSH, PAUSE, PERSIST, persistReducer, persistStore, PURGE, REGISTER, REHYDRATE, type Storage } from 'redux-persist'
import { expect, it, vi } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { formatDivergence, reduxPersist, replay } from 'redux-flight-recorder/replay'

const counter = createSlice({ name: 'c', initialState: { v: 0 }, reducers: { inc: (s) => void s.v++ } })
const root = combineReducers({ c: counter.reducer, seen: (s: number = 0) => s + 1 })
const memoryStorage = (m = new Map<string, string>()): Storage => ({
  getItem: async (k: string) => m.get(k) ?? null,
  setItem: async (k: string, v: string) => void m.set(k, v),
  removeItem: async (k: string) => void m.delete(k),
})
const makePersisted = (storage: Storage) => persistReducer({ key: 'root', storage, whitelist: ['c'], timeout: 0 }, root)
const ignoredActions = [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER]
const settle = () => new Promise((r) => setTimeout(r, 5))

it('a persisted log that goes on in a new store after a purge replays with onReplaceReducer, as without it', async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}) // the recorder's note that it moved to a new store
  try {
    const recorder = createFlightRecorder()
    const storage = memoryStorage()
    const build = () =>
      configureStore({ reducer: makePersisted(storage), middleware: (g) => g({ serializableCheck: { ignoredActions } }).prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    const first = build()
    const p1 = persistStore(first)
    await settle()
    first.dispatch(counter.actions.inc())
    await p1.purge()
    first.dispatch(counter.actions.inc())
    await p1.flush()
    await settle()
    const second = build() // the reload
    const p2 = persistStore(second)
    await settle()
    second.dispatch(counter.actions.inc())
    await p2.flush()
    await settle()
    const text = recorder.toJSONL()
    await recorder.close()
    expect(text).toContain('"new-store"')

    const createStore = (state: unknown) => configureStore({ reducer: makePersisted(memoryStorage()), preloadedState: state as never, middleware: (g) => g({ serializableCheck: { ignoredActions } }) })
    const without = replay(text, { createStore, adapters: [reduxPersist()] })
    expect(without.ok, without.ok ? '' : formatDivergence(without)).toBe(true)
    const withOption = replay(text, { createStore, adapters: [reduxPersist()], onReplaceReducer: () => makePersisted(memoryStorage()) })
    expect(withOption.ok, withOption.ok ? '' : formatDivergence(withOption)).toBe(true)
    expect(withOption.verified).toBe(true)
    expect(withOption.state).toEqual(JSON.parse(JSON.stringify(second.getState())))
  } finally {
    vi.restoreAllMocks()
  }
})
