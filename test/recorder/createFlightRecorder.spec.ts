import { configureStore, createAsyncThunk, createListenerMiddleware, createSlice } from '@reduxjs/toolkit'
import { applyMiddleware, compose, createStore, legacy_createStore, type Reducer, type StoreEnhancer, type UnknownAction } from 'redux'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, subtreeHashes, type ActionEntry, type FlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { asyncTurns } from 'redux-flight-recorder/node'
import { added, makeReducer, makeStore, removed, renamed, rootReducer, syncTodos, failingSync, toggled } from '../helpers/todoApp'

/** Wraps a reducer so the test sees every action it receives, in order (Redux's own excluded). */
function spyReducer<S>(reducer: Reducer<S>) {
  const seen: unknown[] = []
  const spied = ((state: S | undefined, action: UnknownAction) => {
    if (!String(action.type).startsWith('@@redux/')) seen.push(action)
    return reducer(state, action)
  }) as Reducer<S>
  return { seen, spied }
}

function actionEntries(recorder: FlightRecorder): ActionEntry[] {
  return recorder.snapshot().entries.filter(isActionEntry)
}

describe('createFlightRecorder', () => {
  it('records every reducer input of a real RTK store once, in reducer order, with seq, ts, t, turn, kind and hash', async () => {
    const recorder = createFlightRecorder()
    const spy = spyReducer(rootReducer)
    const listener = createListenerMiddleware()
    listener.startListening({ actionCreator: removed, effect: (_a, api) => void api.dispatch(renamed({ id: 'b', title: 'renamed by listener' })) })
    const store = configureStore({
      reducer: spy.spied,
      middleware: (g) => g().prepend(recorder.middleware).concat(listener.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(added({ id: 'b', title: 'eggs', done: false }))
    store.dispatch(toggled('a'))
    await store.dispatch(syncTodos(3))
    await store.dispatch(failingSync())
    store.dispatch(removed('a'))

    const entries = actionEntries(recorder)
    expect(entries.map((e) => e.action)).toEqual(JSON.parse(JSON.stringify(spy.seen)))
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1))
    for (const e of entries) {
      expect(e.kind).toBe(String((e.action as { type: string }).type))
      expect(e.hash).toMatch(/^[0-9a-f]{16}$/)
      expect(Number.isNaN(Date.parse(e.ts))).toBe(false)
      expect(typeof e.t).toBe('number')
      expect(e.turn).toMatch(/^t\d+$/)
    }
    const ts = entries.map((e) => e.t)
    expect([...ts].sort((a, b) => a - b)).toEqual(ts)
    const byKind = (k: string) => entries.find((e) => e.kind === k)!
    // async thunk lifecycles share the turn of the dispatch that started them, also after await
    expect(byKind('todos/sync/pending').turn).toBe(byKind('todos/sync/fulfilled').turn)
    expect(byKind('todos/failingSync/pending').turn).toBe(byKind('todos/failingSync/rejected').turn)
    expect(byKind('todos/sync/pending').turn).not.toBe(byKind('todos/failingSync/pending').turn)
    // the listener's synchronous follow-up is in the same turn, right after its cause
    const removedIdx = entries.findIndex((e) => e.kind === 'todos/removed')
    expect(entries[removedIdx + 1].kind).toBe('todos/renamed')
    expect(entries[removedIdx + 1].turn).toBe(entries[removedIdx].turn)
    // separate top-level dispatches get separate turns
    expect(new Set(entries.slice(0, 3).map((e) => e.turn)).size).toBe(3)
  })

  it('orders a dispatch made from inside a subscriber after the action that triggered it', () => {
    const recorder = createFlightRecorder()
    const spy = spyReducer(rootReducer)
    const store = configureStore({
      reducer: spy.spied,
      middleware: (g) => g().prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    let once = false
    store.subscribe(() => {
      if (!once && store.getState().todos.ids.includes('x')) {
        once = true
        store.dispatch(toggled('x'))
      }
    })
    store.dispatch(added({ id: 'x', title: 'x', done: false }))
    store.dispatch(added({ id: 'y', title: 'y', done: false }))
    const entries = actionEntries(recorder)
    expect(entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/toggled', 'todos/added'])
    expect(entries.map((e) => e.action)).toEqual(JSON.parse(JSON.stringify(spy.seen)))
    expect(entries[1].turn).toBe(entries[0].turn)
    expect(entries[2].turn).not.toBe(entries[0].turn)
    expect(replay(recorder.toJSONL(), { reducer: rootReducer }).ok).toBe(true)
  })

  it('works with plain redux createStore + compose, and without the middleware gives every action its own turn', () => {
    const recorder = createFlightRecorder()
    const spy = spyReducer(rootReducer)
    const store = createStore(spy.spied, undefined, compose(applyMiddleware(), recorder.enhancer) as StoreEnhancer)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    store.dispatch(toggled('a'))
    const entries = actionEntries(recorder)
    expect(entries.map((e) => e.action)).toEqual(JSON.parse(JSON.stringify(spy.seen)))
    expect(entries[0].turn).not.toBe(entries[1].turn)
    const result = replay(recorder.snapshot(), { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, steps: 2, verified: true })
    expect(result.state).toEqual(store.getState())
  })

  it('takes an explicit action.meta.turn over the middleware turn', () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch({ ...added({ id: 'a', title: 'a', done: false }), meta: { turn: 'checkout-42' } })
    expect(actionEntries(recorder)[0].turn).toBe('checkout-42')
  })

  it('forwards every store field it does not wrap and leaves dispatch results unchanged', () => {
    const recorder = createFlightRecorder()
    const extra = Symbol('extra')
    // an enhancer inside the recorder that adds fields of its own (like DevTools' liftedStore)
    const adds: StoreEnhancer = (next) => (reducer, preloaded) => ({ ...next(reducer, preloaded), [extra]: 'kept', liftedStore: 'lifted' }) as never
    const store = legacy_createStore(rootReducer, undefined, compose(recorder.enhancer, adds) as StoreEnhancer) as ReturnType<typeof legacy_createStore> & Record<PropertyKey, unknown>
    expect(store[extra]).toBe('kept')
    expect(store.liftedStore).toBe('lifted')
    const observableKey = (typeof Symbol === 'function' && (Symbol as { observable?: symbol }).observable) || '@@observable'
    const plain = legacy_createStore(rootReducer) as unknown as Record<PropertyKey, unknown>
    expect(typeof store[observableKey]).toBe('function')
    expect(typeof plain[observableKey]).toBe('function')
    const action = added({ id: 'a', title: 'a', done: false })
    expect(store.dispatch(action)).toBe(action)
  })

  it('records replaceReducer as an entry and re-wraps the new reducer', () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    const next = makeReducer({ buggyToggle: true })
    store.replaceReducer(next)
    store.dispatch(toggled('a'))
    const rec = recorder.snapshot()
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', '@@replaceReducer', 'todos/toggled'])
    expect(rec.entries[1].hash).toMatch(/^[0-9a-f]{16}$/)
    const stopped = replay(rec, { reducer: rootReducer })
    expect(stopped.ok).toBe(false)
    expect(stopped.stopped?.reason).toMatch(/onReplaceReducer/)
    expect(replay(rec, { reducer: rootReducer, onReplaceReducer: () => next }).ok).toBe(true)
  })

  it('writes marks, lifecycle entries and checkpoints with gapless seq across kinds', async () => {
    const recorder = createFlightRecorder({ checkpointEvery: 2 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    recorder.mark('checkout started', { cart: 3 })
    store.dispatch(toggled('a'))
    recorder.lifecycle('visibilitychange', { state: 'hidden' })
    store.dispatch(toggled('a'))
    const rec = recorder.snapshot()
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', '@@mark', 'todos/toggled', '@@checkpoint', '@@lifecycle', 'todos/toggled'])
    expect(rec.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(rec.entries[1]).toMatchObject({ label: 'checkout started', body: { cart: 3 }, turn: null })
    expect(rec.entries[4]).toMatchObject({ body: { event: 'visibilitychange', state: 'hidden' }, turn: null })
    expect(rec.entries[3]).toMatchObject({ kind: '@@checkpoint', state: JSON.parse(JSON.stringify(store.getState())) === undefined ? null : expect.any(Object) })
    expect((rec.entries[3] as { hash: string }).hash).toBe(rec.entries[2].hash)
    expect(replay(rec, { reducer: rootReducer }).ok).toBe(true)
  })

  it('counts an action the reducer threw on towards checkpointEvery: a checkpoint follows every Nth action', () => {
    // The Nth action throwing skipped its checkpoint: the next came N actions later (found by the
    // acceptance run, session 33).
    const recorder = createFlightRecorder({ checkpointEvery: 2 })
    const reducer = (s = { n: 0 }, a: { type: string }) => {
      if (a.type === 'boom') throw new Error('boom')
      return a.type === 'inc' ? { n: s.n + 1 } : s
    }
    const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    for (const type of ['inc', 'boom', 'inc', 'inc', 'boom', 'inc']) {
      try {
        store.dispatch({ type })
      } catch {
        // the app's own error: Redux rethrows it
      }
    }
    const rec = recorder.snapshot()
    expect(rec.entries.map((e) => e.kind)).toEqual(['inc', 'boom', '@@checkpoint', 'inc', 'inc', '@@checkpoint', 'boom', 'inc', '@@checkpoint'])
    expect(rec.entries.filter((e) => e.kind === 'boom').every((e) => 'threw' in e)).toBe(true)
    expect(replay(rec, { reducer })).toMatchObject({ ok: true, verified: true, state: { n: 4 } })
  })

  it.each([
    ['fr64', {}],
    ['no hashes', { hash: false as const }],
    ['a custom hash', { hash: Object.assign((s: unknown) => String(JSON.stringify(s)?.length), { algorithm: 'len' }) }],
  ])('snapshot() gives what parseRecording gives for the same JSONL (%s)', async (_name, options) => {
    const recorder = createFlightRecorder({ ...options, checkpointEvery: 2, maxEntries: 4, sinks: [memorySink()] })
    const store = makeStore(recorder)
    const sameAsParsed = () => expect(recorder.snapshot()).toStrictEqual(parseRecording(recorder.toJSONL(), { strict: true }))
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    sameAsParsed()
    recorder.mark('m', { n: 1 })
    recorder.mark('no body')
    recorder.lifecycle('visibilitychange', { state: 'hidden' })
    store.dispatch({ type: '@@end', payload: 1 } as never)
    store.dispatch({ type: '@@checkpoint', payload: () => 1 } as never)
    store.dispatch(toggled('a'))
    recorder.pause()
    recorder.resume()
    store.dispatch(renamed({ id: 'a', title: 'b' }))
    expect(recorder.snapshot().header.from_seq).toBeGreaterThan(1)
    sameAsParsed()
    await recorder.close()
    expect(recorder.snapshot().end).toBeDefined()
    sameAsParsed()
  })

  it('a mark or lifecycle body with values JSON cannot hold (a cycle, a BigInt, a symbol) lists them in `omitted`, and the log reads back and replays', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = makeStore(recorder)
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    recorder.mark('m', circular)
    recorder.mark('n', { big: 1n, ok: 2 })
    recorder.lifecycle('custom', { sym: Symbol('s'), at: 3 })
    recorder.mark('plain', { n: 1 })
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.close()
    const lines = sink.text().trim().split('\n').map((l) => JSON.parse(l))
    const [m, n, life, plain] = lines.filter((l) => l.kind === '@@mark' || l.kind === '@@lifecycle')
    expect(m).toMatchObject({ label: 'm', body: { name: 'loop' }, omitted: [{ path: 'self', kind: 'circular' }] })
    expect(n).toMatchObject({ body: { ok: 2 }, omitted: [{ path: 'big', kind: 'bigint' }] })
    expect(life).toMatchObject({ body: { event: 'custom', at: 3 }, omitted: [{ path: 'sym', kind: 'symbol' }] })
    expect(plain).not.toHaveProperty('omitted')
    // The keys are in the format's order (the encoder writes them the same way).
    expect(Object.keys(m)).toEqual(['seq', 'ts', 't', 'turn', 'kind', 'label', 'body', 'omitted'])
    const rec = parseRecording(sink.text(), { strict: true })
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
  })

  it('pause() stops recording and resume() writes a checkpoint so the log still replays', () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    expect(recorder.stats()).toMatchObject({ enabled: true, paused: false })
    recorder.pause()
    // stats() says so (the panel's header shows it).
    expect(recorder.stats()).toMatchObject({ enabled: true, paused: true })
    store.dispatch(added({ id: 'hidden', title: 'not recorded', done: false }))
    recorder.resume()
    expect(recorder.stats().paused).toBe(false)
    store.dispatch(toggled('hidden'))
    const rec = recorder.snapshot()
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', '@@checkpoint', 'todos/toggled'])
    const result = replay(rec, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.state).toEqual(store.getState())
  })

  it('clear() empties the buffer, keeps seq running and leaves sinks untouched', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    recorder.clear()
    store.dispatch(toggled('a'))
    const rec = recorder.snapshot()
    expect(rec.header.from_seq).toBe(2)
    expect(rec.entries.map((e) => e.seq)).toEqual([2])
    expect(replay(rec, { reducer: rootReducer }).ok).toBe(true)
    await recorder.close()
    const full = parseRecording(sink.text())
    expect(full.entries.filter(isActionEntry).map((e) => e.seq)).toEqual([1, 2])
    expect(full.end).toBeDefined()
    expect(replay(full, { reducer: rootReducer }).ok).toBe(true)
  })

  it('close() writes @@end with the final state, flushes sinks and stops recording', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], meta: { app: 'shop@1.4.0' } })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.close()
    store.dispatch(toggled('a'))
    const rec = parseRecording(sink.text())
    expect(rec.header).toMatchObject({ kind: '@@session', v: 1, hash_alg: 'fr64', meta: { app: 'shop@1.4.0' }, from_seq: 1, session: recorder.session })
    expect(rec.end).toMatchObject({ kind: '@@end', seq: 2, count: 1, dropped: 0 })
    expect(rec.entries).toHaveLength(1)
    expect(recorder.stats().closed).toBe(true)
  })

  it('is a pass-through when enabled is false', () => {
    const recorder = createFlightRecorder({ enabled: false })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    expect(store.getState().todos.ids).toEqual(['a'])
    expect(recorder.stats()).toMatchObject({ entries: 0, enabled: false, closed: false })
  })

  it('gives clear errors for bad options', () => {
    expect(() => createFlightRecorder({ maxEntries: -1 })).toThrow(/`maxEntries`.*positive number/)
    // A fraction of an entry was rounded down without a word.
    expect(() => createFlightRecorder({ maxEntries: 1.5 })).toThrow('[redux-flight-recorder] Expected `maxEntries` to be a whole number of entries. Instead, received: number 1.5.')
    expect(() => createFlightRecorder({ checkpointEvery: 0.5 })).toThrow('Expected `checkpointEvery` to be a whole number of entries.')
    expect(() => createFlightRecorder({ maxEntries: Infinity, checkpointEvery: 0, maxBytes: 1.5 })).not.toThrow()
    expect(() => createFlightRecorder({ hash: 'md5' as never })).toThrow(/`hash`/)
    expect(() => createFlightRecorder({ redact: { state: ['a..b'] } })).toThrow(/redact.state/)
    expect(() => createFlightRecorder({ sinks: [{} as never] })).toThrow(/write\(lines, ctx\)/)
    expect(() => createFlightRecorder({ meta: { n: 1 as never } })).toThrow(/`meta`/)
    expect(() => createFlightRecorder({ turns: {} as never })).toThrow(/`turns`.*asyncTurns\(\)/)
    expect(() => createFlightRecorder({ subtreeHashes: 'yes' as never })).toThrow(/^\[redux-flight-recorder\] Expected `subtreeHashes` to be `subtreeHashes\(\)` from 'redux-flight-recorder'\. Instead, received: /)
    expect(() => createFlightRecorder({ lossy: true as never })).toThrow(/`lossy` to be \{ ignoredPaths\?/)
    expect(() => createFlightRecorder({ lossy: { ignoredPaths: 'ui.at' as never } })).toThrow(/`lossy\.ignoredPaths` to be an array/)
    expect(() => createFlightRecorder({ lossy: { ignoredActionPaths: [/^meta\./, 3 as never] } })).toThrow(/`lossy\.ignoredActionPaths`/)
    expect(() => createFlightRecorder({ lossy: { warn: 'no' as never } })).toThrow(/`lossy\.warn` to be a boolean/)
    expect(() => createFlightRecorder({ subtreeHashes: subtreeHashes(), lossy: { ignoredPaths: ['ui.at', /^cache\./], warn: false } })).not.toThrow()
  })

  it('follows a second store instead of throwing, and the first keeps working unrecorded', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createFlightRecorder()
    const first = makeStore(recorder)
    first.dispatch(added({ id: 'a', title: 'a', done: false }))
    const second = makeStore(recorder)
    first.dispatch(added({ id: 'b', title: 'b', done: false }))
    second.dispatch(added({ id: 'c', title: 'c', done: false }))
    expect(first.getState().todos.ids).toEqual(['a', 'b'])
    expect(actionEntries(recorder).map((e) => (e.action as unknown as { payload: { id: string } }).payload.id)).toEqual(['a', 'c'])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0][0])).toMatch(/^\[redux-flight-recorder\] This recorder was applied to another store/)
    warn.mockRestore()
  })

  it('uses the injected clock for ts and keeps t monotonic when the clock goes backwards', () => {
    let now = Date.parse('2026-04-21T12:34:56.789Z')
    const recorder = createFlightRecorder({ clock: () => now })
    const store = makeStore(recorder)
    now += 10
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    now -= 5000
    store.dispatch(toggled('a'))
    now += 6000
    store.dispatch(toggled('a'))
    const entries = actionEntries(recorder)
    expect(entries[0]).toMatchObject({ ts: '2026-04-21T12:34:56.799Z', t: 10 })
    expect(entries[1].t).toBe(10)
    expect(entries[2].t).toBe(1010)
    expect(recorder.snapshot().header.ts).toBe('2026-04-21T12:34:56.789Z')
  })

  it('writes every line as JSON.stringify would (t to the microsecond, ts to the millisecond, hashes) in the sink and in toJSONL()', async () => {
    const start = Date.parse('2026-04-21T12:34:56.789Z') + 0.4
    let now = start
    const sink = memorySink()
    const recorder = createFlightRecorder({ clock: () => now, sinks: [sink], flushIntervalMs: 60_000, checkpointEvery: 7 })
    const store = makeStore(recorder)
    const steps = [0.0004, 0.0005, 0.0006, 0.3337, 0.9995, 1, 12.5, 0.001, 999.9999, 3_600_000.1234, 86_400_000 * 40 + 0.5]
    for (let i = 0; i < 60; i++) {
      now += steps[i % steps.length]
      if (i % 2 === 0) store.dispatch(added({ id: `a${i}`, title: `todo "${i}" \u00e9 😀`, done: false }))
      else store.dispatch(toggled(`a${i - 1}`))
      if (i % 13 === 0) recorder.mark(`m${i}`, { i })
    }
    await recorder.flush()
    const text = recorder.toJSONL()
    await recorder.close()
    const canonical = (line: string) => expect(JSON.stringify(JSON.parse(line))).toBe(line)
    for (const line of text.trimEnd().split('\n')) canonical(line)
    for (const line of sink.lines) canonical(line)
    const times: number[] = []
    now = start
    for (let i = 0; i < 60; i++) times.push(Math.round(((now += steps[i % steps.length]) - start) * 1000) / 1000)
    const entries = actionEntries(recorder)
    expect(entries.map((e) => e.t)).toEqual(times)
    expect(entries.map((e) => e.ts)).toEqual(times.map((t) => new Date(Math.floor(start + t)).toISOString()))
    expect(entries.every((e) => typeof e.hash === 'string' && /^[0-9a-f]{16}$/.test(e.hash))).toBe(true)
    expect(replay(parseRecording(sink.text()), { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
  })

  it('does not change what subscribers see (RTK autoBatchEnhancer notification counts)', async () => {
    const counts: number[][] = []
    for (const withRecorder of [false, true]) {
      const recorder = createFlightRecorder()
      const slice = createSlice({
        name: 'n',
        initialState: 0,
        reducers: {
          inc: { reducer: (s) => s + 1, prepare: () => ({ payload: undefined, meta: { RTK_autoBatch: true } }) },
        },
      })
      const store = configureStore({
        reducer: slice.reducer,
        enhancers: (g) => (withRecorder ? g({ autoBatch: { type: 'tick' } }).concat(recorder.enhancer) : g({ autoBatch: { type: 'tick' } })),
      })
      let n = 0
      store.subscribe(() => n++)
      for (let i = 0; i < 10; i++) store.dispatch(slice.actions.inc())
      const synchronously = n
      // Tick mode notifies in a microtask: every microtask has run once a macrotask starts.
      await new Promise((resolve) => setTimeout(resolve, 0))
      counts.push([synchronously, n, store.getState()])
      await recorder.close()
    }
    // Ten batched actions: no notification during the dispatches, exactly one after the tick.
    expect(counts[0]).toEqual([0, 1, 10])
    expect(counts[1]).toEqual(counts[0])
  })

  it('async thunks dispatched inside another thunk after await start their own turn (without an async context)', async () => {
    const recorder = createFlightRecorder()
    const inner = createAsyncThunk('inner', async () => 1)
    const outer = createAsyncThunk('outer', async (_: void, api) => {
      await new Promise((r) => setTimeout(r, 2))
      await api.dispatch(inner())
      return 2
    })
    const store = configureStore({
      reducer: (s: number = 0) => s,
      middleware: (g) => g().prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    await store.dispatch(outer())
    const entries = actionEntries(recorder)
    expect(entries.map((e) => e.kind)).toEqual(['outer/pending', 'inner/pending', 'inner/fulfilled', 'outer/fulfilled'])
    expect(entries[3].turn).toBe(entries[0].turn)
    expect(entries[2].turn).toBe(entries[1].turn)
    expect(entries[1].turn).not.toBe(entries[0].turn)
  })

  it('async thunks dispatched inside another thunk keep the outer turn under asyncTurns()', async () => {
    const recorder = createFlightRecorder({ turns: asyncTurns() })
    const inner = createAsyncThunk('inner', async () => 1)
    const outer = createAsyncThunk('outer', async (_: void, api) => {
      await new Promise((r) => setTimeout(r, 2))
      await api.dispatch(inner())
      return 2
    })
    const store = configureStore({
      reducer: (s: number = 0) => s,
      middleware: (g) => g().prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    await store.dispatch(outer())
    store.dispatch({ type: 'later' })
    const entries = actionEntries(recorder)
    expect(entries.map((e) => e.kind)).toEqual(['outer/pending', 'inner/pending', 'inner/fulfilled', 'outer/fulfilled', 'later'])
    expect(new Set(entries.slice(0, 4).map((e) => e.turn)).size).toBe(1)
    expect(entries[4].turn).not.toBe(entries[0].turn)
    vi.restoreAllMocks()
  })
})

describe('createFlightRecorder redact paths', () => {
  it('rejects redaction paths that would match nothing, naming the option and the value', () => {
    expect(() => createFlightRecorder({ redact: { state: 'auth.token' as never } })).toThrow("[redux-flight-recorder] Expected `redact.state` to be an array of path strings. Instead, received: 'auth.token'.")
    expect(() => createFlightRecorder({ redact: { actions: ['payload.card', undefined as never] } })).toThrow(
      "[redux-flight-recorder] Expected every path in `redact.actions` to be a dot-separated key path such as 'auth.token' (a key holding a dot in brackets, as a JSON string: 'servers[\"db.example.com\"].password'). Instead, received: undefined.",
    )
    expect(() => createFlightRecorder({ redact: { state: ['auth..token'] } })).toThrow("Instead, received: 'auth..token'.")
    expect(() => createFlightRecorder({ redact: { state: ['auth.token', 'users.*.password'], actions: [] } })).not.toThrow()
  })
})
