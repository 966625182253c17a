import { configureStore } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorderOptions } from 'redux-flight-recorder'

// What an action loses outright (a Map, a Set, a function, … : `omitted`, `recordable: false`) is
// warned about in development, once per action type and path, as lossy values are (docs/FORMAT.md,
// "Values JSON cannot carry"). Warnings are once per process: each test uses action types of its own.

type Action = { type: string; payload?: unknown; [k: string]: unknown }
type State = { n: number; seen: string[] }

const reducer = (s: State = { n: 0, seen: [] }, a: Action): State => (a.type.startsWith('@@') ? s : { n: s.n + 1, seen: [...s.seen, a.type] })

/** An app's store: Redux Toolkit with its serializability check told to ignore these actions (as apps with such actions do). */
function record(actions: Action[], options: Partial<FlightRecorderOptions> = {}) {
  const recorder = createFlightRecorder({ flushIntervalMs: 60_000, ...options })
  const store = configureStore({
    reducer,
    middleware: (g) => g({ serializableCheck: { ignoredActions: actions.map((a) => a.type) } }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  for (const a of actions) store.dispatch(a)
  return { recorder, store }
}

const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
const ours = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('[redux-flight-recorder]'))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('development warning for values left out of an action', () => {
  it('names the action type, the path, the kind of value and what to do, once per type and path', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder } = record([
      { type: 'tags/loaded', payload: { tags: new Map([['a', 1]]), ids: new Set([1]) } },
      { type: 'tags/loaded', payload: { tags: new Map(), ids: new Set() } },
      { type: 'form/submitted', payload: { onDone: () => {} } },
      { type: 'form/submitted', payload: { onDone: () => {} } },
    ])
    const log = lines(recorder.toJSONL())
    // The log says it as before.
    expect(log.filter((l) => l.kind === 'tags/loaded').map((l) => [l.recordable, l.omitted])).toEqual([
      [false, [{ path: 'payload.tags', kind: 'map' }, { path: 'payload.ids', kind: 'set' }]],
      [false, [{ path: 'payload.tags', kind: 'map' }, { path: 'payload.ids', kind: 'set' }]],
    ])
    const messages = ours(warn)
    expect(messages).toHaveLength(3)
    expect(messages[0]).toBe(
      "[redux-flight-recorder] In action 'tags/loaded': payload.tags is a Map, left out of the log: the entry is `recordable: false` with it in `omitted`, so replay dispatches the action without it and cannot check that step if the reducer needs it. Keep actions serialisable, as Redux asks (Redux Toolkit's serializability check flags such values), or list 'payload.tags' in `lossy.ignoredActionPaths` if no reducer reads it. (Warned once per action type and path.)",
    )
    expect(messages[1]).toMatch(/^\[redux-flight-recorder\] In action 'tags\/loaded': payload\.ids is a Set, left out of the log/)
    expect(messages[2]).toMatch(/^\[redux-flight-recorder\] In action 'form\/submitted': payload\.onDone is a function, left out of the log/)
    // Reading the buffer again (a download) warns no more.
    recorder.toJSONL()
    expect(ours(warn)).toHaveLength(3)
  })

  it("not for redux-persist's callbacks (its replay adapter stands in for them); an action that could not be redacted is said as such", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { persistReducer, persistStore } = await import('redux-persist')
    const memory = new Map<string, string>()
    const storage = { getItem: async (k: string) => memory.get(k) ?? null, setItem: async (k: string, v: string) => void memory.set(k, v), removeItem: async (k: string) => void memory.delete(k) }
    const recorder = createFlightRecorder({ flushIntervalMs: 60_000, redact: { actions: ['**.secret'] } })
    const store = configureStore({
      reducer: persistReducer({ key: 'root', storage, timeout: 0 }, reducer as never),
      middleware: (g) => g({ serializableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    await new Promise<void>((resolve) => persistStore(store as never, null, resolve))
    // Nested past what redaction follows (1,024 levels along a redacted path).
    let deep: Record<string, unknown> = { secret: '4111' }
    for (let i = 0; i < 1100; i++) deep = { a: deep }
    store.dispatch({ type: 'pay/started', payload: deep })
    const log = lines(recorder.toJSONL())
    expect(log.find((l) => l.kind === 'persist/PERSIST')?.recordable).toBe(false)
    expect(ours(warn)).toEqual([expect.stringMatching(/^\[redux-flight-recorder\] In action 'pay\/started': the action could not be redacted \(.*\), so the log holds its type alone/)])
  })

  it("not for the function RTK Query's upsertQueryData puts under its symbol in meta.arg (replay stands in for it); the line still lists it", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { createApi, fakeBaseQuery } = await import('@reduxjs/toolkit/query')
    const api = createApi({ reducerPath: 'upsertApi', baseQuery: fakeBaseQuery(), endpoints: (b) => ({ get: b.query<number, number>({ queryFn: (n) => ({ data: n }) }) }) })
    const recorder = createFlightRecorder({ flushIntervalMs: 60_000 })
    const store = configureStore({
      reducer: { [api.reducerPath]: api.reducer },
      middleware: (g) => g().prepend(recorder.middleware).concat(api.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    await store.dispatch(api.util.upsertQueryData('get', 1, 42))
    const log = lines(recorder.toJSONL())
    expect(log.filter((l) => String(l.kind).startsWith('upsertApi/executeQuery/')).map((l) => [l.recordable, l.omitted])).toEqual([
      [false, [{ path: 'meta.arg.[Symbol(forceQueryFn)]', kind: 'symbol-key' }]],
      [false, [{ path: 'meta.arg.[Symbol(forceQueryFn)]', kind: 'symbol-key' }]],
    ])
    expect(ours(warn)).toEqual([])
    expect(error).not.toHaveBeenCalled() // Redux Toolkit's own serializability check does not flag it either
    await recorder.close()
  })

  it('another action type with the same path is warned about; array indexes count as one path', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const cycle: Record<string, unknown> = { id: 1 }
    cycle.self = cycle
    record([
      { type: 'a/one', payload: { items: [{ cb: () => 1 }, { cb: () => 2 }, { cb: () => 3 }] } },
      { type: 'a/two', payload: { items: [{ cb: () => 1 }] } },
      { type: 'a/three', payload: cycle, meta: { [Symbol('local')]: 1 } },
    ]).recorder.toJSONL()
    expect(ours(warn).map((m) => /^\[redux-flight-recorder\] In action '([^']+)': (.+?) is (.+?), left out/.exec(m)?.slice(1))).toEqual([
      ['a/one', 'payload.items.0.cb', 'a function'],
      ['a/two', 'payload.items.0.cb', 'a function'],
      ['a/three', 'payload.self', 'a circular reference'],
      ['a/three', 'meta.[Symbol(local)]', 'a property keyed by a symbol'],
    ])
    expect(ours(warn)[0]).toContain("list 'payload.items.*.cb' in `lossy.ignoredActionPaths`")
  })

  it('`lossy.ignoredActionPaths` and `lossy.warn: false` silence it; the line still lists what was left out', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const modal = { type: 'modal/opened', register: () => {}, rehydrate: () => {}, result: () => {} }
    const quiet = record([modal], { lossy: { ignoredActionPaths: ['register', /^rehydrate$/] } }).recorder.toJSONL()
    expect(lines(quiet).find((l) => l.kind === 'modal/opened')?.omitted).toEqual([
      { path: 'register', kind: 'function' },
      { path: 'rehydrate', kind: 'function' },
      { path: 'result', kind: 'function' },
    ])
    record([{ type: 'modal/closed', payload: new Map() }], { lossy: { warn: false } }).recorder.toJSONL()
    expect(ours(warn).map((m) => m.slice(0, 70))).toEqual(["[redux-flight-recorder] In action 'modal/opened': result is a function"])
  })

  it('an action over maxEntryBytes is warned about as such, not for what it holds', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    record([
      { type: 'big/loaded', payload: { rows: 'x'.repeat(5000), at: new Set([1]) } },
      { type: 'small/loaded', payload: { at: new Set([1]) } },
    ], { maxEntryBytes: 1000 }).recorder.toJSONL()
    const messages = ours(warn)
    expect(messages).toHaveLength(2)
    expect(messages[0]).toMatch(/^\[redux-flight-recorder\] Action 'big\/loaded' is .*`maxEntryBytes`/)
    expect(messages[1]).toMatch(/^\[redux-flight-recorder\] In action 'small\/loaded': payload\.at is a Set, left out/)
  })
})
// (Left out of production builds: test/package/devOnly.spec.ts.)
