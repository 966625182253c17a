import { createStore, type Reducer } from 'redux'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { httpSink } from 'redux-flight-recorder/browser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assembleLog, startCollector, type Collector } from './harness'

/** A counter: its actions are large and its state small, so the queue holds actions, not checkpoints. */
const reducer: Reducer<{ n: number }> = (s = { n: 0 }, a) => (a.type === 'inc' ? { n: s.n + 1 } : s)
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

// httpSink holds the chunks of the write in flight until they are delivered or given up, while the
// recorder's sink queue collects what comes next: both together must stay within
// `sinkQueueBytes` ("most bytes queued for one sink that is not keeping up").
describe('httpSink while the server is down', () => {
  let collector: Collector
  let recorder: FlightRecorder | undefined
  beforeEach(async () => {
    collector = await startCollector()
  })
  afterEach(async () => {
    await recorder?.close()
    recorder = undefined
    await collector.close()
  })

  const QUEUE = 64 * 1024

  /** A store recorded through httpSink (retrying fast, without end) with a `QUEUE`-byte sink queue, and the server stopped. */
  async function recordWithServerDown() {
    const errors: string[] = []
    const sink = httpSink(collector.url, { retries: 1_000_000, retryDelayMs: 2, maxRetryDelayMs: 5 })
    // `hash: false`: every flush interval's lines go out at its tick. (Hashing and a checkpoint's
    // state written in slices may hold a tick back for a few intervals, which made the batches the
    // queue keeps, and so what it holds, depend on the machine's load: 1 run in 6 beside three
    // busy processes held 120–137 KB against the 112 KB below.)
    const rec = createFlightRecorder({ sinks: [sink], flushIntervalMs: 5, sinkQueueBytes: QUEUE, hash: false, onError: (e) => errors.push(e.message) })
    recorder = rec
    const store = createStore(reducer, rec.enhancer)
    await collector.stop()
    return { sink, store, errors, rec }
  }

  it('holds at most `sinkQueueBytes` for it in all, drops the rest, and says how many lines it dropped', async () => {
    const { sink, store, errors, rec } = await recordWithServerDown()
    // ~1 KB actions, 20 per flush interval, until the queue has overflowed many times over.
    const title = 'x'.repeat(1000)
    const N = 400
    // A burst first: the sink gets it in one write (~60 KB, two chunks) and holds it, retrying.
    for (let i = 0; i < 60; i++) store.dispatch({ type: 'inc', payload: title })
    while (sink.pending().chunks === 0) await tick(5)
    for (let i = 60; i < N; i++) {
      store.dispatch({ type: 'inc', payload: title })
      if (i % 20 === 19) await tick(10)
    }
    await tick(50)
    expect(errors.some((m) => m.includes('fell behind'))).toBe(true)
    await collector.start()
    await rec.flush()
    await rec.flush()
    const recording = parseRecording(assembleLog(collector.deliveries, rec.session).text, { strict: false })
    const actions = recording.entries.filter(isActionEntry)
    // What was held through the outage and delivered after it: within the bound (with the newest
    // flush interval's lines, which a queue always keeps, and those of the flush that holds the
    // checkpoint written after the first loss, kept so that what follows replays from it: ~20 KB each here).
    const heldBytes = actions.reduce((n, e) => n + JSON.stringify(e).length + 1, 0)
    expect(heldBytes).toBeLessThanOrEqual(QUEUE + 2 * 24 * 1024)
    // Nothing lost in silence: every action is delivered or counted as dropped, and the log says
    // where entries are missing.
    expect(actions.length + rec.stats().dropped).toBeGreaterThanOrEqual(N)
    expect(recording.entries.some((e) => e.kind === '@@dropped')).toBe(true)
    expect(recording.warnings).toContainEqual(expect.stringMatching(/are missing/))
  })

  it('counts what it takes when the page is hidden against the bound too: hiding the page again and again during an outage does not pile lines up', async () => {
    // The page's document (Node has none): hidden, with the events httpSink listens to.
    const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' })
    ;(globalThis as { document?: unknown }).document = doc
    try {
      const { sink, store, errors, rec } = await recordWithServerDown()
      const title = 'x'.repeat(1000)
      const N = 400
      // ~40 KB of actions, then the page is hidden (the user switches tabs), again and again.
      for (let i = 0; i < N; i++) {
        store.dispatch({ type: 'inc', payload: title })
        if (i % 40 === 39) {
          await tick(10)
          doc.dispatchEvent(new Event('visibilitychange'))
        }
      }
      await tick(50)
      // What the sink holds plus what is queued for it: within the bound, with the two flushes a
      // queue always keeps (~40 KB each here).
      expect(sink.pending().bytes).toBeLessThanOrEqual(QUEUE + 2 * 42 * 1024)
      expect(errors.some((m) => m.includes('fell behind'))).toBe(true)
      await collector.start()
      await rec.flush()
      await rec.flush()
      const recording = parseRecording(assembleLog(collector.deliveries, rec.session).text, { strict: false })
      // Nothing lost in silence.
      expect(recording.entries.filter(isActionEntry).length + rec.stats().dropped).toBeGreaterThanOrEqual(N)
      expect(recording.entries.some((e) => e.kind === '@@dropped')).toBe(true)
    } finally {
      delete (globalThis as { document?: unknown }).document
    }
  })
})
