import { configureStore } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { added, makeStore, rootReducer, toggled } from '../helpers/todoApp'

describe('maxEntries / maxBytes / maxEntryBytes', () => {
  it('with maxEntries 50 and 500 actions holds at most 50 entries, says how many were dropped and replays ok', () => {
    const recorder = createFlightRecorder({ maxEntries: 50 })
    const store = makeStore(recorder)
    for (let i = 0; i < 250; i++) {
      store.dispatch(added({ id: `id${i}`, title: `todo ${i}`, done: false }))
      store.dispatch(toggled(`id${i}`))
    }
    const rec = recorder.snapshot()
    const actions = rec.entries.filter(isActionEntry)
    expect(actions.length).toBeLessThanOrEqual(50)
    expect(actions.length).toBeGreaterThan(30)
    expect(rec.header.from_seq).toBe(501 - rec.entries.length)
    expect(rec.header.trimmed).toBe(rec.header.from_seq - 1)
    expect(rec.entries[rec.entries.length - 1].seq).toBe(500)
    const result = replay(rec, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: actions.length })
    expect(result.state).toEqual(store.getState())
  })

  it('trims the buffer without affecting sinks', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ maxEntries: 20, sinks: [sink] })
    const store = makeStore(recorder)
    for (let i = 0; i < 300; i++) store.dispatch(added({ id: `id${i}`, title: `todo ${i}`, done: false }))
    expect(recorder.snapshot().entries.length).toBeLessThanOrEqual(20)
    await recorder.close()
    const full = parseRecording(sink.text())
    expect(full.entries.filter(isActionEntry).map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    expect(replay(full, { reducer: rootReducer }).ok).toBe(true)
  })

  it('trims by maxBytes at snapshot time and still replays from the first line', () => {
    const recorder = createFlightRecorder({ maxBytes: 20_000 })
    const store = makeStore(recorder)
    for (let i = 0; i < 400; i++) store.dispatch(added({ id: `id${i}`, title: 'x'.repeat(100), done: false }))
    const text = recorder.toJSONL()
    const rec = parseRecording(text)
    const entryBytes = text.length - text.indexOf('\n') - 1
    expect(entryBytes).toBeLessThanOrEqual(20_000)
    expect(rec.header.from_seq).toBeGreaterThan(1)
    expect(rec.header.trimmed).toBe(rec.header.from_seq - 1)
    const result = replay(rec, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.state).toEqual(store.getState())
  })

  // Between snapshots too: large actions kept the buffer at maxEntries (10,000 entries of 33 KB:
  // 640 MB of heap) until something read it.
  for (const withSink of [true, false]) {
    it(`keeps maxBytes between snapshots ${withSink ? 'with a sink (the lines it was given counted)' : 'without sinks (an estimate from the actions)'}, and the log still replays`, async () => {
      const sink = memorySink()
      const recorder = createFlightRecorder({ maxBytes: 200_000, ...(withSink ? { sinks: [sink] } : {}) })
      const store = makeStore(recorder)
      const big = 'x'.repeat(3000)
      for (let i = 0; i < 600; i++) {
        store.dispatch(added({ id: `id${i}`, title: big, done: false }))
        if (i % 50 === 49) await recorder.flush()
      }
      await recorder.flush()
      // Read without snapshot()/toJSONL(), which trim by themselves: 600 lines of ~3.2 KB are ~1.9 MB.
      const held = recorder.stats().buffered
      expect(held).toBeLessThan(100)
      expect(held).toBeGreaterThan(20)
      const rec = recorder.snapshot()
      expect(rec.header.from_seq).toBeGreaterThan(500)
      const result = replay(rec, { reducer: rootReducer })
      expect(result).toMatchObject({ ok: true, verified: true })
      expect(result.state).toEqual(store.getState())
      if (withSink) {
        await recorder.close()
        // The sink has every line, whatever the buffer forgot.
        expect(parseRecording(sink.text()).entries.filter(isActionEntry)).toHaveLength(600)
      }
    })
  }

  it('writes an action larger than maxEntryBytes as an omission record', () => {
    const recorder = createFlightRecorder({ maxEntryBytes: 1000 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'big', title: 'y'.repeat(5000), done: false }))
    const [entry] = recorder.snapshot().entries.filter(isActionEntry)
    expect(entry.action).toEqual({ type: 'todos/added' })
    expect(entry.recordable).toBe(false)
    // (Found over the limit by a bounded walk at dispatch: not serialised, so its size is "over 1000".)
    expect(entry.omitted).toEqual([{ path: '<root>', kind: 'too-large', detail: '>1000' }])
    // Replay cannot dispatch it: it goes on from the next full state (none here), checking nothing until then.
    const result = replay(recorder.snapshot(), { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: false })
    expect(result.warnings.join('\n')).toMatch(/Seq 1's action \('todos\/added', over 1000 bytes\) was larger than `maxEntryBytes` when recorded/)
  })

  // Found when the line was written (at a flush, or when the buffer was read), the checkpoint came
  // after every action recorded meanwhile, and none of them was checked (a page of data loaded in
  // one action, then a synchronous burst; or a buffer read at the end of a test).
  for (const withSink of [false, true]) {
    it(`checks the actions after one larger than maxEntryBytes: the state after it is written before the next (${withSink ? 'with a sink' : 'buffer only'})`, async () => {
      const sink = memorySink()
      const recorder = createFlightRecorder({ maxEntryBytes: 1000, onError: () => {}, ...(withSink ? { sinks: [sink] } : {}) })
      const store = makeStore(recorder)
      store.dispatch(added({ id: 'big', title: 'y'.repeat(5000), done: false }))
      for (let i = 0; i < 5; i++) store.dispatch(toggled('big'))
      const check = (text: string, steps: number) => {
        const rec = parseRecording(text)
        expect(rec.entries.slice(0, 3).map((e) => [e.seq, e.kind, (e as { reason?: string }).reason])).toEqual([[1, 'todos/added', undefined], [2, '@@checkpoint', 'requested'], [3, 'todos/toggled', undefined]])
        // One checkpoint: the line written later does not ask for another.
        expect(rec.entries.filter((e) => e.kind === '@@checkpoint')).toHaveLength(1)
        const result = replay(rec, { reducer: rootReducer })
        expect(result).toMatchObject({ ok: true, steps })
        expect(result.state).toEqual(store.getState())
      }
      check(recorder.toJSONL(), 5)
      store.dispatch(toggled('big'))
      await recorder.close()
      if (withSink) check(sink.text(), 6)
    })
  }

  it('a large action among small ones (a page of data loaded) does not make the buffer forget the small ones after it (no sinks)', () => {
    const recorder = createFlightRecorder({ maxBytes: 200_000 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'page', title: 'p'.repeat(60_000), done: false }))
    for (let i = 0; i < 300; i++) store.dispatch(toggled('page'))
    // ~60 KB + 300 lines of ~150 B: well within 200 KB, so nothing is trimmed.
    expect(recorder.stats().buffered).toBe(301)
    expect(recorder.snapshot().header.from_seq).toBe(1)
  })

  it('does not serialise an action over maxEntryBytes on the dispatch path to estimate the buffer (no sinks)', () => {
    // A page of data loaded in one action: its JSON (10 MB, ~130 ms in Chromium) was built at dispatch
    // only to estimate the bytes held; its line holds the type only. Every item's field is a getter here.
    let reads = 0
    const items = Array.from({ length: 20_000 }, (_, i) => Object.defineProperty({ id: i }, 'title', { get: () => (reads++, `item ${i}`), enumerable: true }))
    const recorder = createFlightRecorder({ maxBytes: 200_000, maxEntryBytes: 20_000, onError: () => {} })
    // (RTK's serializability check reads every item: off here.)
    const store = configureStore({
      reducer: rootReducer,
      middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    store.dispatch({ type: 'page/loaded', payload: items })
    // A walk stops once it has seen more than 20,000 bytes: ~1,000 items (twice: the estimate and Lines.oversized).
    expect(reads).toBeLessThan(3_000)
    for (let i = 0; i < 300; i++) store.dispatch(toggled('x'))
    // Its line is small: nothing is trimmed for it.
    expect(recorder.stats().buffered).toBeGreaterThan(300)
    const rec = parseRecording(recorder.toJSONL())
    expect(rec.entries.find((e) => e.kind === 'page/loaded')).toMatchObject({ omitted: [{ path: '<root>', kind: 'too-large' }] })
  })

  it('gives every entry the hash of its own state although hashing is deferred, also across toJSONL() calls', async () => {
    type S = { ids: string[]; entities: Record<string, { id: string; n: number }> }
    const init: S = { ids: [], entities: {} }
    for (let i = 0; i < 100; i++) {
      init.ids.push(`e${i}`)
      init.entities[`e${i}`] = { id: `e${i}`, n: 0 }
    }
    const reducer = (s: S = init, a: { type: string; id?: string }): S => {
      if (a.type !== 'bump' || !a.id) return s
      const e = s.entities[a.id]
      return { ...s, entities: { ...s.entities, [a.id]: { ...e, n: e.n + 1 } } }
    }
    const recorder = createFlightRecorder({ maxEntries: 20_000 })
    const store = configureStore({
      reducer,
      middleware: (g) => g({ immutableCheck: false, serializableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    const texts: string[] = []
    for (let i = 0; i < 5000; i++) {
      store.dispatch({ type: 'bump', id: `e${(i * 7) % 100}` })
      if (i % 1700 === 0) texts.push(recorder.toJSONL())
      if (i % 2500 === 0) await new Promise((r) => setTimeout(r, 0))
    }
    texts.push(recorder.toJSONL())
    for (const text of texts) {
      const result = replay(text, { reducer })
      expect(result.ok).toBe(true)
      expect(result.checked).toBe(result.steps + 0)
    }
    const last = replay(texts[texts.length - 1], { reducer })
    expect(last.steps).toBe(5000)
    expect(last.state).toEqual(store.getState())
  })
})

describe('snapshot({ finalState: true })', () => {
  it('ends the buffer with a checkpoint of the current state, so a late divergence still gets a diff', async () => {
    const { makeReducer } = await import('../helpers/todoApp')
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    store.dispatch(toggled('a'))
    const plain = replay(recorder.snapshot(), { reducer: makeReducer({ buggyToggle: true }) })
    expect(plain.divergence?.diff).toBeNull()
    const rec = recorder.snapshot({ finalState: true })
    expect(rec.entries.at(-1)).toMatchObject({ kind: '@@checkpoint', reason: 'snapshot' })
    // asking twice in a row does not write a second checkpoint
    expect(recorder.snapshot({ finalState: true }).entries.length).toBe(rec.entries.length)
    const result = replay(rec, { reducer: makeReducer({ buggyToggle: true }) })
    expect(result.divergence?.diff).toEqual([{ path: 'todos.entities.a.done', recorded: true, replayed: false }])
    expect(replay(rec, { reducer: rootReducer }).ok).toBe(true)
  })
})
