import { combineReducers, configureStore, createSlice } from '@reduxjs/toolkit'
import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, stateHash } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { makeStore, rootReducer } from '../helpers/todoApp'

describe('values JSON cannot carry', () => {
  it('records a function, a circular reference, a BigInt and a Map with recordable: false and their key paths', () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    const returned = store.dispatch({
      type: 'weird',
      payload: { register: () => 1, circular, big: 10n, lookup: new Map([['a', 1]]), items: [1, Symbol('s'), 3], when: new Date(0) },
    } as never)
    expect((returned as { type: string }).type).toBe('weird')
    const [entry] = recorder.snapshot().entries.filter(isActionEntry)
    expect(entry.recordable).toBe(false)
    expect(entry.omitted).toEqual(
      expect.arrayContaining([
        { path: 'payload.register', kind: 'function' },
        { path: 'payload.circular.self', kind: 'circular' },
        { path: 'payload.big', kind: 'bigint' },
        { path: 'payload.lookup', kind: 'map' },
        { path: 'payload.items.1', kind: 'symbol' },
      ]),
    )
    expect(entry.action).toEqual({ type: 'weird', payload: { circular: { name: 'loop' }, items: [1, null, 3], when: '1970-01-01T00:00:00.000Z' } })
  })

  it('survives getters that throw, revoked proxies, class instances and DOM-like nodes in actions', () => {
    const errors: unknown[] = []
    const recorder = createFlightRecorder({ onError: (e) => errors.push(e) })
    // RTK's development serializability check would itself trip over these values.
    const store = configureStore({
      reducer: rootReducer,
      middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    class Point {
      constructor(public x: number) {}
    }
    const hostile = {
      get boom() {
        throw new Error('getter exploded')
      },
    }
    const action = { type: 'hostile', payload: { hostile, proxy, point: new Point(1), node: { nodeType: 1, nodeName: 'DIV' } } }
    expect(store.dispatch(action as never)).toBe(action)
    const [entry] = recorder.snapshot().entries.filter(isActionEntry)
    expect(entry.omitted).toEqual(
      expect.arrayContaining([
        { path: 'payload.hostile.boom', kind: 'getter-threw' },
        { path: 'payload.proxy', kind: 'revoked-proxy' },
      ]),
    )
    // The class-instance rule: written as its own fields, listed in `lossy`, not left out.
    expect(entry.action).toMatchObject({ payload: { point: { x: 1 } } })
    expect(entry.lossy).toEqual([{ path: 'payload.point', kind: 'class-instance', detail: 'Point' }])
    expect(errors).toEqual([])
  })

  it("leaves RTK Query's meta.baseQueryMeta out silently and keeps meta.arg", () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch({ type: 'api/executeQuery/fulfilled', payload: [1], meta: { arg: { endpointName: 'getTodos' }, baseQueryMeta: { request: new (class Request {})() } } } as never)
    const [entry] = recorder.snapshot().entries.filter(isActionEntry)
    expect(entry.recordable).toBeUndefined()
    expect(entry.action).toEqual({ type: 'api/executeQuery/fulfilled', payload: [1], meta: { arg: { endpointName: 'getTodos' } } })
  })

  it('redacts state and action paths before hashing and writing, stores the paths in the header, and the redacted log still verifies', async () => {
    const secrets = ['tok-SECRET-1', 'pw-SECRET-2', 'card-SECRET-3', 'pw-SECRET-4']
    const auth = createSlice({
      name: 'auth',
      initialState: { token: null as string | null, users: {} as Record<string, { name: string; password: string }>, cards: [] as string[] },
      reducers: {
        login: (s, a: { payload: { token: string } }) => {
          s.token = a.payload.token
        },
        addUser: (s, a: { payload: { id: string; name: string; password: string } }) => {
          s.users[a.payload.id] = { name: a.payload.name, password: a.payload.password }
        },
        pay: (s, a: { payload: { card: string } }) => {
          s.cards.push(a.payload.card)
        },
      },
    })
    const sink = memorySink()
    const recorder = createFlightRecorder({
      sinks: [sink],
      redact: { state: ['auth.token', 'auth.users.*.password', 'auth.cards.*'], actions: ['payload.token', 'payload.password', 'payload.card'] },
    })
    const store = configureStore({
      reducer: { auth: auth.reducer },
      middleware: (g) => g().prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    store.dispatch(auth.actions.login({ token: secrets[0] }))
    store.dispatch(auth.actions.addUser({ id: 'u1', name: 'ann', password: secrets[1] }))
    store.dispatch(auth.actions.pay({ card: secrets[2] }))
    store.dispatch(auth.actions.addUser({ id: 'u2', name: 'bob', password: secrets[3] }))
    recorder.mark('checkpoint please')
    const outputs = [recorder.toJSONL(), JSON.stringify(recorder.snapshot())]
    await recorder.close()
    outputs.push(sink.text())
    for (const out of outputs) for (const secret of secrets) expect(out).not.toContain(secret)
    const rec = parseRecording(sink.text())
    expect(rec.header.redact).toEqual({ state: ['auth.token', 'auth.users.*.password', 'auth.cards.*'], actions: ['payload.token', 'payload.password', 'payload.card'] })
    expect(rec.end?.state).toMatchObject({ auth: { token: '[redacted]', users: { u1: { name: 'ann', password: '[redacted]' } } } })
    // the recorded hash is the hash of the redacted state
    expect(rec.end?.hash).toBe(stateHash(rec.end?.state))
    const result = replay(rec, { reducer: combineReducers({ auth: auth.reducer }) })
    expect(result).toMatchObject({ ok: true, verified: true })
  })
})

describe('faults never reach dispatch', () => {
  function session(options: Parameters<typeof createFlightRecorder>[0]) {
    const recorder = createFlightRecorder(options)
    const store = makeStore(recorder)
    const results: unknown[] = []
    for (let i = 0; i < 5; i++) results.push(store.dispatch({ type: 'todos/added', payload: { id: `i${i}`, title: 'x', done: false } }))
    return { recorder, store, results }
  }

  it('a sink that throws and a hash that throws leave dispatch results and state unchanged; onError sees each error and the log has @@error entries', async () => {
    const baseline = session({ enabled: false })
    const errors: Error[] = []
    const throwingSink = { write() { throw new Error('disk on fire') } }
    const good = memorySink()
    const hash = Object.assign((s: unknown) => { if (JSON.stringify(s).includes('i3')) throw new Error('hash exploded'); return 'h' }, { algorithm: 'flaky' })
    const faulty = session({ sinks: [throwingSink, good], hash, onError: (e) => errors.push(e) })
    expect(faulty.results).toEqual(baseline.results)
    expect(faulty.store.getState()).toEqual(baseline.store.getState())
    await faulty.recorder.flush()
    await faulty.recorder.close()
    expect(errors.some((e) => e.message.includes('disk on fire'))).toBe(true)
    expect(errors.some((e) => e.message.includes('hash exploded'))).toBe(true)
    expect(errors.every((e) => e.name === 'RecorderFaultError')).toBe(true)
    const rec = parseRecording(good.text())
    const errorEntries = rec.entries.filter((e) => e.kind === '@@error')
    expect(errorEntries.map((e) => (e as { body: { source: string } }).body.source)).toEqual(expect.arrayContaining(['sink', 'hash']))
    expect(rec.entries.filter(isActionEntry)).toHaveLength(5)
  })

  it('ends with @@end when the final state cannot be hashed (nested past the stack): no fault entry after it, and the log stays readable', async () => {
    // (A circular reference is left out now, so the state hashes: test/recorder/unreadableState.spec.ts.)
    const reducer = (s: Record<string, unknown> = { n: 0 }, a: { type: string }) => {
      if (a.type === 'huge') return { ...s, huge: Array.from({ length: 300_000 }, (_, i) => i) }
      if (a.type === 'cyc') {
        let deep: unknown = 'x'
        for (let d = 0; d < 20_000; d++) deep = { d: deep }
        return { ...s, cyc: deep }
      }
      return s
    }
    const errors: Error[] = []
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], onError: (e) => errors.push(e) })
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'huge' })
    store.dispatch({ type: 'cyc' })
    await recorder.close()
    expect(errors.some((e) => e.message.includes('hash'))).toBe(true)
    for (const text of [sink.text(), recorder.toJSONL()]) {
      const lines = text.trimEnd().split('\n')
      expect(JSON.parse(lines.at(-1)!).kind).toBe('@@end')
      const rec = parseRecording(text)
      expect(rec.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['huge', 'cyc'])
      expect(() => replay(text, { reducer: reducer as never })).not.toThrow()
    }
  })

  it('warns once per kind with the package prefix when there is no onError', async () => {
    const warnings: string[] = []
    const original = console.warn
    console.warn = (m: string) => void warnings.push(m)
    try {
      const { recorder } = session({ sinks: [{ write() { throw new Error('nope') } }] })
      await recorder.flush()
      await recorder.flush()
      await recorder.close()
    } finally {
      console.warn = original
    }
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^\[redux-flight-recorder\] sink failed/)
  })

  it("lets Redux's own errors reach the caller unchanged", () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    expect(() => store.dispatch('not an action' as never)).toThrow(/Actions must be plain objects|plain object/)
    const recorder2 = createFlightRecorder()
    const store2 = createStore((s: number = 0, a: { type: string }) => {
      if (a.type === 'nested') store2.dispatch({ type: 'inner' })
      return s
    }, recorder2.enhancer)
    expect(() => store2.dispatch({ type: 'nested' })).toThrow(/Reducers may not dispatch actions/)
  })
})
