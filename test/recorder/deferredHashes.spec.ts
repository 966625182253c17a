import { legacy_createStore as createStore, applyMiddleware, compose, type Reducer, type StoreEnhancer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, type Sink } from 'redux-flight-recorder'
import { turnCounter } from '../helpers/turnCounter'

/**
 * States are hashed off the dispatch path (src/recorder/hashQueue.ts): a flush tick writes only
 * the entries whose states are hashed, and `flush()`/`close()` wait for the hashes in slices
 * instead of hashing everything that waits in one task. A custom hash function that takes a
 * while (at least 10 ms, longer than one 8 ms slice) makes each slice hash one state; a chain of
 * `setImmediate` counts event-loop turns, so each hash call notes the turn it ran in.
 */
interface S {
  n: number
}
const reducer: Reducer<S> = (state = { n: 0 }, action) => (action.type === 'inc' ? { n: state.n + 1 } : state)

function slowHash(calls: { n: number; turn: number }[], turn: () => number) {
  return (state: unknown) => {
    const until = performance.now() + 10
    while (performance.now() < until) {
      // a hash that takes a while
    }
    const n = (state as S).n
    calls.push({ n, turn: turn() })
    return 'h' + n
  }
}

function setup(flushIntervalMs: number) {
  const turns = turnCounter()
  const calls: { n: number; turn: number }[] = []
  const writes: string[][] = []
  const sink: Sink = { write: (lines) => void writes.push([...lines]) }
  const recorder = createFlightRecorder({ sinks: [sink], hash: slowHash(calls, turns.now), flushIntervalMs })
  const store = createStore(reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
  return { recorder, store, calls, writes, stop: turns.stop }
}

const parsed = (writes: string[][]) => writes.flat().map((l) => JSON.parse(l) as { kind: string; seq?: number; hash?: string | null; state?: S })

describe('deferred hashes and sinks', () => {
  it('flush() hashes what waits over several event-loop turns, then writes every entry with its own hash', async () => {
    const { recorder, store, calls, writes, stop } = setup(60_000)
    for (let i = 0; i < 5; i++) store.dispatch({ type: 'inc' })
    // Nothing hashed on the dispatch path.
    expect(calls.filter((c) => c.n > 0)).toEqual([])
    await recorder.flush()
    stop()
    const actions = calls.filter((c) => c.n > 0)
    expect(actions.map((c) => c.n)).toEqual([1, 2, 3, 4, 5])
    // Not one task: the hashes ran in at least two different turns of the event loop.
    expect(new Set(actions.map((c) => c.turn)).size).toBeGreaterThan(1)
    const lines = parsed(writes)
    expect(lines[0].kind).toBe('@@session')
    expect(lines[0].hash).toBe('h0')
    expect(lines.filter((l) => l.kind === 'inc').map((l) => l.hash)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5'])
    await recorder.close()
  })

  it('a flush tick writes only the entries whose states are hashed; the rest follow with their hashes', async () => {
    const { recorder, store, calls, writes, stop } = setup(1)
    for (let i = 0; i < 5; i++) store.dispatch({ type: 'inc' })
    // Wait for the first write (a tick between two slices), then for all of them.
    while (writes.length === 0) await new Promise((r) => setImmediate(r))
    const first = parsed(writes)
    while (parsed(writes).filter((l) => l.kind === 'inc').length < 5) await new Promise((r) => setImmediate(r))
    stop()
    // The first write did not wait for (or hash inline) states still queued behind a slow hash.
    const firstActions = first.filter((l) => l.kind === 'inc')
    expect(firstActions.length).toBeLessThan(5)
    // What it wrote had been hashed, in order, before the write.
    expect(firstActions.map((l) => l.hash)).toEqual(firstActions.map((_, k) => 'h' + (k + 1)))
    const lines = parsed(writes)
    expect(lines.filter((l) => l.kind === '@@session')).toHaveLength(1)
    expect(lines.filter((l) => l.kind === 'inc').map((l) => [l.seq, l.hash])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 'h' + n]))
    expect(calls.filter((c) => c.n > 0).map((c) => c.n)).toEqual([1, 2, 3, 4, 5])
    await recorder.close()
  })

  it('close() waits for the hashes in slices and ends the log with @@end and the final state', async () => {
    const { recorder, store, calls, writes, stop } = setup(60_000)
    for (let i = 0; i < 4; i++) store.dispatch({ type: 'inc' })
    await recorder.close()
    stop()
    const actions = calls.filter((c) => c.n > 0 && c.n < 4)
    expect(new Set(actions.map((c) => c.turn)).size).toBeGreaterThan(1)
    const lines = parsed(writes)
    expect(lines.filter((l) => l.kind === 'inc').map((l) => l.hash)).toEqual(['h1', 'h2', 'h3', 'h4'])
    const end = lines[lines.length - 1]
    expect(end.kind).toBe('@@end')
    expect(end.state).toEqual({ n: 4 })
  })
})
