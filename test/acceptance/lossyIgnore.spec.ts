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
