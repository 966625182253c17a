import { legacy_createStore as createStore, applyMiddleware, compose, type Reducer, type StoreEnhancer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'

// An action over `maxEntryBytes` is written as `{"type": …}` with a `too-large` omission whose
// detail is the UTF-8 size of its projected JSON text (counted once, and only when its length
// leaves the size in doubt: UTF-8 takes 1 to 3 bytes per UTF-16 unit).

type Row = { id: string; title: string; done: boolean; n: number; tags: string[] }
const rows = (n: number): Row[] => Array.from({ length: n }, (_, k) => ({ id: 'e' + k, title: 'Item ' + k + ' é', done: k % 3 === 0, n: k, tags: ['a', 'b'] }))

function record(actions: object[], options: Parameters<typeof createFlightRecorder>[0] = {}) {
  const recorder = createFlightRecorder(options)
  const reducer: Reducer<{ n: number }> = (s = { n: 0 }) => ({ n: s.n + 1 })
  const store = createStore(reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
  for (const a of actions) store.dispatch(a as { type: string })
  const lines = recorder.toJSONL().trim().split('\n').map((l) => JSON.parse(l) as { action?: unknown; omitted?: { path: string; kind: string; detail?: unknown }[] })
  return lines.filter((l) => l.action !== undefined)
}

describe('large actions', () => {
  it('a 60,000-row payload: too-large, with the exact UTF-8 size of its JSON text', () => {
    const action = { type: 'items/loaded', payload: rows(60_000), meta: { requestId: 'r1' } }
    const [entry] = record([action])
    expect(entry.action).toEqual({ type: 'items/loaded' })
    expect(entry.omitted).toEqual([{ path: '<root>', kind: 'too-large', detail: Buffer.byteLength(JSON.stringify(action)) }])
  })

  it.each([
    ['ASCII', 'x', 1],
    ['2-byte', 'é', 2],
    ['3-byte', '€', 3],
  ])('around the limit in %s text, as its UTF-8 size decides', (_, ch, per) => {
    const limit = 9_000
    const frame = '{"type":"t","payload":""}'.length
    const n0 = Math.floor((limit - frame) / per)
    for (const n of [n0 - 1, n0, n0 + 1, n0 + 2]) {
      const action = { type: 't', payload: ch.repeat(n) }
      const bytes = frame + n * per
      expect(Buffer.byteLength(JSON.stringify(action))).toBe(bytes)
      const [entry] = record([action], { maxEntryBytes: limit })
      if (bytes > limit) expect(entry.omitted).toEqual([{ path: '<root>', kind: 'too-large', detail: bytes }])
      else expect(entry.action).toEqual(action)
    }
  })

  it('a large value that redaction replaces does not make the action too large', () => {
    const action = { type: 'auth/loaded', payload: { blob: 'secret'.repeat(100_000), user: 'ann' } }
    const [entry] = record([action], { redact: { actions: ['payload.blob'] } })
    expect(entry.action).toEqual({ type: 'auth/loaded', payload: { blob: '[redacted]', user: 'ann' } })
    expect(entry.omitted).toBeUndefined()
  })
})
