import { applyMiddleware, compose, legacy_createStore as createStore, type StoreEnhancer } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorderOptions } from 'redux-flight-recorder'

// Acceptance: a user does what the development warning says. For a Map in state it prints
// "[redux-flight-recorder] In the state: state.tags is a Map: … (Warned once per path and kind;
// list 'tags' in `lossy.ignoredPaths` to accept it.)": the exact entry to list (state paths are
// written without the `state.` prefix, as Redux Toolkit's serializability check writes them).
// This test lists whatever the warning names and checks that the warning and the `lossy` key go.
const reducer = (s = { tags: new Map([['a', 1]]), n: 0 }, a: { type: string }) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : s)

function record(options: FlightRecorderOptions) {
  const recorder = createFlightRecorder(options)
  const store = createStore(reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
  store.dispatch({ type: 'inc' })
  return recorder.toJSONL() // the lines are written (and development warns) here
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe("the development warning's advice for a lossy value in state", () => {
  it('listing the path it names in lossy.ignoredPaths accepts it: no warning, no lossy key', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(record({})).toContain('"lossy":[{"path":"tags","kind":"map"}]')
    const said = warn.mock.calls.map((c) => String(c[0])).find((m) => /tags is a Map/.test(m))
    expect(said).toBeDefined()
    const advice = /list (?:`([^`]+)`|'([^']+)'|the path) in `lossy\.ignoredPaths`/.exec(said!)
    expect(advice, said).not.toBeNull()
    const named = /In the state: (\S+) is a Map/.exec(said!)
    const path = advice![1] ?? advice![2] ?? named![1]
    // The module warns once per path and kind: what follows must not rely on a second warning.
    warn.mockClear()
    const text = record({ lossy: { ignoredPaths: [path] } })
    expect(text).not.toContain('"lossy"')
  })
})

describe('lossy values in a list that grows', () => {
  // `[1, undefined, 3]` appended again and again: every new index is a new path.
  const listReducer = (s: { items: unknown[] } = { items: [] }, a: { type: string }) => (a.type === 'push' ? { items: [...s.items, [1, undefined, 3]] } : s)
  function pushes(n: number, options: FlightRecorderOptions) {
    const recorder = createFlightRecorder(options)
    const store = createStore(listReducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
    for (let i = 0; i < n; i++) store.dispatch({ type: 'push' })
    return recorder.toJSONL()
  }

  it('warns once for the list, naming the path with `*`, which lossy.ignoredPaths then accepts', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const text = pushes(30, {})
    expect(text.match(/"kind":"undefined-in-array"/g)!.length).toBeGreaterThanOrEqual(30)
    const said = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('in an array, logged as null'))
    expect(said).toHaveLength(1)
    expect(said[0]).toContain("list 'items.*.*' in `lossy.ignoredPaths`")
    expect(pushes(30, { lossy: { ignoredPaths: ['items.*.*'] } })).not.toContain('undefined-in-array')
    expect(pushes(3, { lossy: { ignoredPaths: ['items'] } })).not.toContain('undefined-in-array')
    expect(pushes(3, { lossy: { ignoredPaths: ['items.*'] } })).not.toContain('undefined-in-array')
    expect(pushes(3, { lossy: { ignoredPaths: ['other.*'] } })).toContain('undefined-in-array')
  })
})
