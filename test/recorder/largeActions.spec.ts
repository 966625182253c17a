import { legacy_createStore as createStore, applyMiddleware, compose, type Reducer, type StoreEnhancer } from 'redux'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording, replay } from 'redux-flight-recorder/replay'

// An action over `maxEntryBytes` is written as `{"type": …}` with a `too-large` omission whose
// detail is the UTF-8 size of its projected JSON text (counted once, and only when its length
// leaves the size in doubt: UTF-8 takes 1 to 3 bytes per UTF-16 unit), or `">limit"` when a bounded
// walk at dispatch found it over the limit (a page of data is then never serialised).

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
  it('a 60,000-row payload: too-large, found by a bounded walk at dispatch and never serialised', () => {
    // (Its line was built by serialising all 60,000 rows at the flush: ~180 ms for 10 MB in Chromium, one task.)
    let reads = 0
    const payload = rows(60_000).map((r) => Object.defineProperty(r, 'title', { get: () => (reads++, 'Item é'), enumerable: true }))
    const action = { type: 'items/loaded', payload, meta: { requestId: 'r1' } }
    const [entry] = record([action])
    expect(entry.action).toEqual({ type: 'items/loaded' })
    expect(entry.omitted).toEqual([{ path: '<root>', kind: 'too-large', detail: '>262144' }])
    // The walk read a few thousand rows (it stops past 256 KiB), not 60,000.
    expect(reads).toBeLessThan(10_000)
  })

  it('an action the walk cannot bound (a toJSON) is measured: too-large with the exact UTF-8 size of its JSON text', () => {
    const action = { type: 'items/loaded', payload: { toJSON: () => rows(20_000) }, meta: { requestId: 'r1' } }
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
      // (The walk's lower bound counts a character as one byte, and leaves out one comma.)
      const walked = frame - 1 + n > limit
      if (bytes > limit) expect(entry.omitted).toEqual([{ path: '<root>', kind: 'too-large', detail: walked ? `>${limit}` : bytes }])
      else expect(entry.action).toEqual(action)
    }
  })

  it('counts what the line lists as left out: 30,000 function-valued keys make it too large, not a 1.3 MB line', () => {
    const payload = Object.fromEntries(Array.from({ length: 30_000 }, (_, k) => [`handler${k}`, () => k]))
    const recorder = createFlightRecorder({ maxEntryBytes: 64 * 1024, onError: () => {} })
    const reducer: Reducer<{ n: number }> = (s = { n: 0 }) => ({ n: s.n + 1 })
    const store = createStore(reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
    store.dispatch({ type: 'handlers/registered', payload })
    store.dispatch({ type: 'small', payload: { register: () => 1 } })
    const lines = recorder.toJSONL().trim().split('\n')
    for (const line of lines.slice(1)) expect(Buffer.byteLength(line)).toBeLessThan(64 * 1024)
    const entries = lines.map((l) => JSON.parse(l) as { kind: string; omitted?: unknown })
    // (Found by the walk, which counts each function's note: it was measured, ~100 ms on the dispatch path.)
    expect(entries.find((e) => e.kind === 'handlers/registered')!.omitted).toEqual([{ path: '<root>', kind: 'too-large', detail: '>65536' }])
    // A few such notes stay in the line.
    expect(entries.find((e) => e.kind === 'small')!.omitted).toEqual([{ path: 'payload.register', kind: 'function' }])
  })

  it('a large value that redaction replaces does not make the action too large', () => {
    const action = { type: 'auth/loaded', payload: { blob: 'secret'.repeat(100_000), user: 'ann' } }
    const [entry] = record([action], { redact: { actions: ['payload.blob'] } })
    expect(entry.action).toEqual({ type: 'auth/loaded', payload: { blob: '[redacted]', user: 'ann' } })
    expect(entry.omitted).toBeUndefined()
  })

  it('under action redaction, a page of data with a redacted field in each row is found by the walk too: never copied or serialised', () => {
    // (Redaction copied the 50,000 rows and the line was serialised to learn whether it shrank: 150–280 ms on the dispatch path.)
    let reads = 0
    const payload = rows(60_000).map((r) => Object.defineProperty({ ...r, token: 'secret-' + r.id }, 'title', { get: () => (reads++, 'Item é'), enumerable: true }))
    const [entry] = record([{ type: 'items/loaded', payload }], { redact: { actions: ['payload.*.token'] } })
    expect(entry.action).toEqual({ type: 'items/loaded' })
    expect(entry.omitted).toEqual([{ path: '<root>', kind: 'too-large', detail: '>262144' }])
    expect(reads).toBeLessThan(10_000)
  })

  it('replay goes on from the full state the recorder writes after it, checking the steps from there (the reducer threw on its type alone)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      type S = { items: Row[]; bumps: number }
      // Reads the payload as an RTK Query or entity reducer does: its type alone makes it throw.
      const make = (buggy: boolean): Reducer<S> => (s = { items: [], bumps: 0 }, a) => {
        if (a.type === 'catalog/loaded') return { ...s, items: (a as unknown as { payload: Row[] }).payload.slice() }
        if (a.type === 'items/bumped') return { ...s, bumps: s.bumps + (buggy ? 2 : 1) }
        return s
      }
      const sink = memorySink()
      const recorder = createFlightRecorder({ sinks: [sink], maxEntryBytes: 64 * 1024 })
      const store = createStore(make(false), compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
      store.dispatch({ type: 'items/bumped' })
      store.dispatch({ type: 'catalog/loaded', payload: rows(5_000) })
      await recorder.flush() // its line is written: the recorder asks for a checkpoint
      for (let i = 0; i < 3; i++) store.dispatch({ type: 'items/bumped' })
      await recorder.close()
      const log = parseRecording(sink.text())
      expect(log.entries.map((e) => e.kind)).toEqual(['items/bumped', 'catalog/loaded', '@@checkpoint', 'items/bumped', 'items/bumped', 'items/bumped'])
      expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining("Action 'catalog/loaded' is "))
      const result = replay(sink.text(), { reducer: make(false) })
      expect(result).toMatchObject({ ok: true, verified: false })
      expect(result.warnings.join('\n')).toMatch(/Seq 2's action \('catalog\/loaded', over 65536 bytes\) was larger than `maxEntryBytes` when recorded, so the log holds its type only; replay resumes at the next full state/)
      // The steps after the checkpoint are checked: a regression there is caught at its step.
      expect(replay(sink.text(), { reducer: make(true) }).divergence).toMatchObject({ seq: 1, kind: 'items/bumped' })
      const later = sink.text().split('\n').filter((l, i) => i === 0 || !l.includes('"seq":1,')).join('\n')
      expect(replay(later, { reducer: make(true) }).divergence).toMatchObject({ seq: 4, kind: 'items/bumped' })
    } finally {
      warn.mockRestore()
    }
  })
})
