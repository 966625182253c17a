import { configureStore } from '@reduxjs/toolkit'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, type FlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { silencedWarnings } from '../helpers/silencedWarnings'
import { added, makeReducer, makeStore, rootReducer, toggled } from '../helpers/todoApp'

type Store = ReturnType<typeof makeStore>

function ids(store: Store): string[] {
  return store.getState().todos.ids as string[]
}

/** The recorder's log replays ok to exactly the state of `store`. */
function expectReplaysTo(recorder: FlightRecorder, store: Store, reducer = rootReducer) {
  const result = replay(recorder.toJSONL(), { reducer })
  expect(result).toMatchObject({ ok: true, verified: true })
  expect(result.state).toEqual(store.getState())
}

/** The store a hot-reloaded module builds again: from the old store's state, with `reducer`. */
function reloaded(recorder: FlightRecorder, before: Store, reducer: ReturnType<typeof makeReducer>) {
  return configureStore({
    reducer,
    preloadedState: before.getState(),
    middleware: (g) => g().prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
}

const warnings = silencedWarnings()

describe('one recorder, many stores', () => {
  it('follows a store re-created by a hot reload, with a new reducer, and the log replays to the newest store', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const before = makeStore(recorder)
    before.dispatch(added({ id: 'a', title: 'a', done: false }))
    before.dispatch(added({ id: 'b', title: 'b', done: false }))
    // The hot-reloaded module builds its store again, from the old store's state, with a new reducer.
    const reloadedReducer = makeReducer({ buggyToggle: true })
    const after = reloaded(recorder, before, reloadedReducer)
    after.dispatch(toggled('a'))
    after.dispatch(added({ id: 'c', title: 'c', done: false }))
    const entries = recorder.snapshot().entries
    const restart = entries.find((e) => e.kind === '@@lifecycle')!
    expect(restart).toMatchObject({ body: { event: 'new-store' }, state: before.getState(), turn: null })
    expect(entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/toggled', 'todos/added'])
    const result = replay(recorder.toJSONL(), { reducer: reloadedReducer })
    expect(result).toMatchObject({ ok: true, verified: true })
    expect(result.state).toEqual(after.getState())
    // what the sink got replays the same way
    await recorder.close()
    expect(replay(parseRecording(sink.text()), { reducer: reloadedReducer })).toMatchObject({ ok: true, verified: true })
  })

  it('replays a reload that changed the reducer with onReplaceReducer at the new store, and says so when it is missing', () => {
    const recorder = createFlightRecorder()
    const before = makeStore(recorder)
    before.dispatch(added({ id: 'a', title: 'a', done: false }))
    before.dispatch(toggled('a'))
    const reloadedReducer = makeReducer({ buggyToggle: true })
    const after = reloaded(recorder, before, reloadedReducer)
    after.dispatch(toggled('a'))
    const log = recorder.toJSONL()
    const restart = recorder.snapshot().entries.find((e) => e.kind === '@@lifecycle')!
    // The old reducer all the way: the toggle after the reload diverges, and the report says why.
    const stale = replay(log, { reducer: rootReducer })
    expect(stale.divergence).toMatchObject({ seq: restart.seq + 1, kind: 'todos/toggled' })
    expect(stale.divergence!.hint).toBe(`The log moved to a new store at seq ${restart.seq} (a hot reload, or a store built again); replay kept the reducer it had. If that store's reducer differs, pass \`onReplaceReducer\` to supply it.`)
    // Each store's own reducer: the whole log checks.
    const asked: string[] = []
    const result = replay(log, { reducer: rootReducer, onReplaceReducer: (e) => (asked.push(e.kind), reloadedReducer) })
    expect(asked).toEqual(['@@lifecycle'])
    expect(result).toMatchObject({ ok: true, verified: true, steps: 3 })
    expect(result.state).toEqual(after.getState())
  })

  it('restarts from the new store\'s own state when it does not continue the old one', () => {
    const recorder = createFlightRecorder()
    const first = makeStore(recorder)
    first.dispatch(added({ id: 'a', title: 'a', done: false }))
    const second = makeStore(recorder)
    second.dispatch(added({ id: 'z', title: 'z', done: false }))
    expect(ids(second)).toEqual(['z'])
    expectReplaysTo(recorder, second)
  })

  it('leaves the earlier store working and unrecorded once the newer one has dispatched, also after its replaceReducer', () => {
    const recorder = createFlightRecorder()
    const first = makeStore(recorder)
    const second = makeStore(recorder)
    second.dispatch(added({ id: 'new', title: 'new', done: false }))
    const entriesBefore = recorder.stats().entries
    first.dispatch(added({ id: 'old', title: 'old', done: false }))
    first.replaceReducer(makeReducer())
    first.dispatch(toggled('old'))
    expect(first.getState().todos.entities.old).toMatchObject({ done: true })
    expect(recorder.stats().entries).toBe(entriesBefore)
    second.dispatch(toggled('new'))
    expect(recorder.stats().entries).toBe(entriesBefore + 1)
    expectReplaysTo(recorder, second)
  })

  it('with its enhancer listed twice for one store, records that store once, as one store, and says so', () => {
    const recorder = createFlightRecorder()
    const store = configureStore({ reducer: rootReducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer, recorder.enhancer) })
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    store.dispatch(toggled('a'))
    const log = parseRecording(recorder.toJSONL())
    expect(log.entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/toggled'])
    expect(replay(log, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, steps: 2 })
    expect(warnings()).toHaveBeenCalledTimes(1)
    expect(String(warnings().mock.calls[0][0])).toMatch(/^\[redux-flight-recorder\] `recorder\.enhancer` is applied twice to this store/)
  })

  it('warns once in development, naming what happened, and not at all in production', () => {
    const recorder = createFlightRecorder()
    const stores = Array.from({ length: 4 }, () => makeStore(recorder))
    // (Said once a store is used: the first store may be the one React's StrictMode keeps.)
    stores[3].dispatch(added({ id: 'a', title: 'a', done: false }))
    stores[2].dispatch(added({ id: 'b', title: 'b', done: false }))
    expect(warnings()).toHaveBeenCalledTimes(1)
    expect(String(warnings().mock.calls[0][0])).toMatch(/^\[redux-flight-recorder\] This recorder was applied to another store\. It records the newest store/)
    vi.stubEnv('NODE_ENV', 'production')
    const quiet = createFlightRecorder()
    makeStore(quiet).dispatch(added({ id: 'a', title: 'a', done: false }))
    makeStore(quiet).dispatch(added({ id: 'b', title: 'b', done: false }))
    expect(warnings()).toHaveBeenCalledTimes(1)
  })

  it('serves a makeStore() per request with a module-level recorder, requests overlapping', async () => {
    const recorder = createFlightRecorder()
    const handle = async (user: string, ms: number) => {
      const store = makeStore(recorder)
      store.dispatch(added({ id: `${user}-1`, title: user, done: false }))
      await new Promise((r) => setTimeout(r, ms))
      store.dispatch(added({ id: `${user}-2`, title: user, done: false }))
      return store
    }
    const [slow, fast] = await Promise.all([handle('slow', 10), handle('fast', 1)])
    // Each request's store is its own; no request failed.
    expect(ids(slow)).toEqual(['slow-1', 'slow-2'])
    expect(ids(fast)).toEqual(['fast-1', 'fast-2'])
    // The recorder follows the newest store (the second request's) and its log replays to it.
    expectReplaysTo(recorder, fast)
    const kinds = recorder.snapshot().entries.map((e) => e.kind)
    expect(kinds.filter((k) => k === '@@lifecycle')).toHaveLength(1)
  })

  it('does not record at all once closed, and a store built then works as without it', async () => {
    const recorder = createFlightRecorder()
    makeStore(recorder)
    await recorder.close()
    const later = makeStore(recorder)
    later.dispatch(added({ id: 'x', title: 'x', done: false }))
    expect(ids(later)).toEqual(['x'])
    expect(recorder.stats()).toMatchObject({ closed: true })
  })
})

describe('a store per test with one module-level recorder', () => {
  const recorder = createFlightRecorder()
  let store: Store
  const seen: string[][] = []
  beforeAll(() => {
    seen.length = 0
  })
  beforeEach(() => {
    store = makeStore(recorder)
  })
  afterAll(() => {
    // Three stores, three independent starts: the log holds every test's actions after its restart.
    expect(seen).toEqual([['one'], ['two-a', 'two-b'], []])
  })

  it('records the first test\'s store', () => {
    store.dispatch(added({ id: 'one', title: '1', done: false }))
    seen.push(ids(store))
    expectReplaysTo(recorder, store)
  })

  it('records the second test\'s fresh store', () => {
    expect(ids(store)).toEqual([])
    store.dispatch(added({ id: 'two-a', title: '2', done: false }))
    store.dispatch(added({ id: 'two-b', title: '2', done: false }))
    seen.push(ids(store))
    expectReplaysTo(recorder, store)
  })

  it('replays to the third store\'s untouched state', () => {
    seen.push(ids(store))
    expectReplaysTo(recorder, store)
    expect(recorder.snapshot().entries.filter((e) => e.kind === '@@lifecycle')).toHaveLength(2)
  })
})

describe('a divergence before a store is replaced', () => {
  it('is not diffed against the next store\'s state (a new-store entry holds another store\'s state)', async () => {
    const recorder = createFlightRecorder()
    const first = makeStore(recorder)
    first.dispatch(added({ id: 'a', title: 'one', done: false }))
    first.dispatch(toggled('a'))
    // A store per test: the next one starts from its own, different state.
    const second = makeStore(recorder)
    second.dispatch(added({ id: 'z', title: 'other', done: true }))
    const log = recorder.toJSONL()
    // A reducer whose toggle is broken diverges at seq 2, in the first store.
    const result = replay(log, { reducer: makeReducer({ buggyToggle: true }), onReplaceReducer: () => rootReducer })
    expect(result.ok).toBe(false)
    expect(result.divergence?.seq).toBe(2)
    // No diff taken at the new-store entry (before: `todos.ids.0: "a" → (missing)` and the like,
    // the second store's state against the first's); the report says why.
    expect(result.divergence?.diff).toBeNull()
    expect(result.divergence?.diffNote).toMatch(/another store at seq 3 .*new-store/)
    await recorder.close()
  })
})
