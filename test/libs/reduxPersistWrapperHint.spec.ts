import { combineReducers, createStore, type Reducer } from 'redux'
import { persistReducer, persistStore, type Persistor, type Storage } from 'redux-persist'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type Recording } from 'redux-flight-recorder'
import { formatDivergence, reduxPersist, replay } from 'redux-flight-recorder/replay'

// A redux-persist app's replay set up without the `persistReducer` wrapper (or with it, for a log
// recorded without it): the report named `onNonRecordable` (PERSIST lost its functions in the
// log), which replay did not even use there (the adapter revived the action).

/** The storage redux-persist accepts: an object with getItem/setItem/removeItem (here in memory). */
function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: async (key: string) => data.get(key) ?? null,
    setItem: async (key: string, value: string) => void data.set(key, value),
    removeItem: async (key: string) => void data.delete(key),
  }
}

type Act = { type: string; payload?: string }
const todos = (s: string[] = [], a: Act) => (a.type === 'todos/added' ? [...s, a.payload!] : s)
const filter = (s = 'all', a: Act) => (a.type === 'filter/set' ? a.payload! : s)
const rootReducer = combineReducers({ todos, filter })
const persisted = (storage: Storage) => persistReducer({ key: 'root', storage, timeout: 0 }, rootReducer) as unknown as Reducer

const bootstrapped = (persistor: Persistor) =>
  new Promise<void>((resolve) => {
    if (persistor.getState().bootstrapped) resolve()
    else persistor.subscribe(() => persistor.getState().bootstrapped && resolve())
  })

/** A session of an app with `persistReducer` and `persistStore` (plain Redux). */
async function recordPersisted(opts: { clearAfterBoot?: boolean } = {}): Promise<Recording> {
  const storage = memoryStorage()
  const rec = createFlightRecorder()
  const store = createStore(persisted(storage), rec.enhancer)
  const persistor = persistStore(store)
  await bootstrapped(persistor)
  if (opts.clearAfterBoot) rec.clear() // the log from here on: its header holds `_persist`
  store.dispatch({ type: 'todos/added', payload: 'milk' })
  store.dispatch({ type: 'filter/set', payload: 'open' })
  await persistor.flush()
  expect(storage.data.get('persist:root')).toContain('milk')
  await rec.close()
  return rec.snapshot()
}

describe('redux-persist: a replay without the persistReducer wrapper, or with it where the app had none', () => {
  it('replay without the wrapper: the hint names the missing persistReducer, not onNonRecordable', async () => {
    const log = await recordPersisted()
    // (With the wrapper it verifies.)
    expect(replay(log, { reducer: persisted(memoryStorage()), adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })

    for (const options of [
      { reducer: rootReducer, adapters: [reduxPersist()] },
      { createStore: (state: unknown) => createStore(rootReducer, state as never), adapters: [reduxPersist()] },
    ]) {
      const result = replay(log, options)
      expect(result.ok).toBe(false)
      expect(result.divergence).toMatchObject({ kind: 'persist/PERSIST', reason: 'hash-mismatch' })
      const report = formatDivergence(result)
      expect(report).toContain("hint: The replay's reducer is not wrapped in redux-persist's `persistReducer` (no `_persist` after this action): wrap it as the app's, with an in-memory storage")
      expect(report).not.toContain('onNonRecordable')
      expect(report).not.toContain('flight-recorder rehash')
    }
  })

  it('with the wrapper, a PERSIST that differs otherwise (another config version): the adapter is named, not onNonRecordable (which replay did not use)', async () => {
    const log = await recordPersisted()
    const versioned = persistReducer({ key: 'root', storage: memoryStorage(), timeout: 0, version: 2 }, rootReducer) as unknown as Reducer
    const result = replay(log, { reducer: versioned, adapters: [reduxPersist()] })
    expect(result.divergence).toMatchObject({ kind: 'persist/PERSIST', reason: 'hash-mismatch' })
    expect(result.divergence!.hint).toMatch(/^The adapter 'reduxPersist' handles this action type/)
    expect(formatDivergence(result)).not.toContain('onNonRecordable')
    expect(formatDivergence(result)).toContain('_persist.version: -1 → 2')
  })

  it("a log whose starting state holds `_persist`, replayed without the wrapper: the hint names it at the header", async () => {
    const log = await recordPersisted({ clearAfterBoot: true })
    expect(log.header.state).toMatchObject({ _persist: { rehydrated: true } })
    expect(replay(log, { reducer: persisted(memoryStorage()), adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
    // (combineReducers warns of the key it drops.)
    const warned = vi.spyOn(console, 'error').mockImplementation(() => {})
    const result = replay(log, { reducer: rootReducer, adapters: [reduxPersist()] })
    warned.mockRestore()
    expect(result.divergence).toMatchObject({ kind: '@@session', reason: 'state-mismatch' })
    const report = formatDivergence(result)
    expect(result.divergence!.diff).toEqual([{ path: '_persist', recorded: { version: -1, rehydrated: true }, replayed: undefined }])
    expect(report).toContain("hint: Only redux-persist's `_persist` differs: wrap the replay's reducer in `persistReducer` as the app's was")
    expect(report).not.toContain('flight-recorder rehash')
  })

  it('the reverse: the wrapper in the replay, not in the recorded app', async () => {
    // The app called persistStore on a store whose reducer was not wrapped: its PERSIST changed nothing.
    const rec = createFlightRecorder()
    const store = createStore(rootReducer, rec.enhancer)
    persistStore(store)
    store.dispatch({ type: 'todos/added', payload: 'milk' })
    await rec.close()
    const log = rec.snapshot()
    expect(log.entries.some((e) => e.kind === 'persist/PERSIST')).toBe(true)
    expect(replay(log, { reducer: rootReducer, adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })

    const result = replay(log, { reducer: persisted(memoryStorage()), adapters: [reduxPersist()] })
    expect(result.divergence).toMatchObject({ kind: 'persist/PERSIST', reason: 'hash-mismatch' })
    const report = formatDivergence(result)
    expect(report).toContain("hint: The recorded state is the replayed one without `_persist`: replay with the app's reducer, which was not wrapped in redux-persist's `persistReducer`.")
    expect(report).not.toContain('onNonRecordable')

    // A log without any redux-persist action replays with the wrapper as without it (nothing in it
    // depends on persistReducer); a replay store that calls persistStore itself gets a hint at the header.
    const plainRec = createFlightRecorder()
    const plain = createStore(rootReducer, plainRec.enhancer)
    plain.dispatch({ type: 'todos/added', payload: 'milk' })
    await plainRec.close()
    const plainLog = plainRec.snapshot()
    expect(replay(plainLog, { reducer: persisted(memoryStorage()), adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
    const withPersistor = replay(plainLog, {
      createStore: (state) => {
        const s = createStore(persisted(memoryStorage()), state)
        persistStore(s)
        return s
      },
      adapters: [reduxPersist()],
    })
    expect(withPersistor.divergence).toMatchObject({ kind: '@@session' })
    const header = formatDivergence(withPersistor)
    expect(header).toContain("hint: Only redux-persist's `_persist` differs: wrap the replay's reducer in `persistReducer` as the app's was, and build the store without `persistStore`")
    expect(header).not.toContain('flight-recorder rehash')
  })
})

describe('redux-persist hints only for redux-persist (the review, session 33)', () => {
  it("an app's own slice named `persist`: a regression there gets no redux-persist hint, and the advice to update the log stays", async () => {
    // The hint came with any `persist/…` type and, as a setup hint, took the rehash line away.
    type S = { on: boolean }
    const prefs = (s: S = { on: false }, a: Act) => (a.type === 'persist/toggled' ? { on: !s.on } : s)
    const reducer = combineReducers({ persist: prefs, todos })
    const rec = createFlightRecorder()
    const store = createStore(reducer, rec.enhancer)
    store.dispatch({ type: 'todos/added', payload: 'milk' })
    store.dispatch({ type: 'persist/toggled' })
    await rec.close()
    const log = rec.snapshot()
    const regressed = combineReducers({ persist: (s: S = { on: false }) => s, todos })
    for (const adapters of [[], [reduxPersist()]]) {
      const result = replay(log, { reducer: regressed, adapters })
      expect(result.divergence).toMatchObject({ kind: 'persist/toggled', reason: 'hash-mismatch' })
      const report = formatDivergence(result)
      expect(report).not.toMatch(/persistReducer|redux-persist/)
      expect(report).toContain('flight-recorder rehash')
    }
  })

  it('a persistReducer two levels down: a PERSIST that differs otherwise is not said to be unwrapped', async () => {
    const storage = memoryStorage()
    const nested = (version: number) => combineReducers({ data: combineReducers({ list: persistReducer({ key: 'list', storage, timeout: 0, version }, combineReducers({ todos })) as unknown as Reducer, filter }) })
    const rec = createFlightRecorder()
    const store = createStore(nested(1), rec.enhancer)
    const persistor = persistStore(store)
    await bootstrapped(persistor)
    store.dispatch({ type: 'todos/added', payload: 'milk' })
    await rec.close()
    const log = rec.snapshot()
    expect(replay(log, { reducer: nested(1), adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
    const result = replay(log, { reducer: nested(2), adapters: [reduxPersist()] })
    expect(result.divergence).toMatchObject({ kind: 'persist/PERSIST', reason: 'hash-mismatch' })
    expect(formatDivergence(result)).not.toContain('is not wrapped')
    expect(result.divergence!.hint).toMatch(/^The adapter 'reduxPersist' handles this action type/)
  })
})
