import type { IncomingMessage, ServerResponse } from 'node:http'
import { createStore, type Reducer } from 'redux'
import { createFlightRecorder } from 'redux-flight-recorder'
import { httpSink } from 'redux-flight-recorder/browser'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { parseRecording } from 'redux-flight-recorder/replay'
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, admin, listen, tempDir } from './helpers'

// A `@@dropped` entry that is itself lost (httpSink gives up the chunk holding it while the server
// stays unreachable) carries its count into the next one: the `@@dropped` counts of the log that
// arrives add up to the seqs missing from it. The outage is driven by request count, not by time.

/**
 * State with a large field: its checkpoint line is larger than a chunk, so it goes alone and the
 * `@@dropped` entry goes in a chunk that can be given up. Actions of ~400 bytes: two to a chunk.
 */
const reducer: Reducer<{ n: number; pad: string }> = (s = { n: 0, pad: 'p'.repeat(1500) }, a) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : s)

const running: Array<() => Promise<void>> = []
afterEach(async () => {
  while (running.length) await running.pop()!()
})

/** A real collector on 127.0.0.1 in front of which `refuse(n)` resets the connection of the next n POSTs. */
async function flakyCollector() {
  const tmp = await tempDir()
  const collector = createCollector({ store: fileStore(tmp.dir), adminToken: ADMIN_TOKEN })
  let refusing = 0
  let refused = 0
  const server = await listen((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && refusing > 0) {
      refusing--
      refused++
      req.socket.destroy()
      return
    }
    void collector(req, res)
  })
  running.push(async () => {
    collector.close()
    await server.close()
    await tmp.remove()
  })
  return {
    url: `${server.url}/ingest`,
    refuse: (n: number) => void (refusing = n),
    get refused() {
      return refused
    },
    async log(session: string) {
      const res = await admin(`${server.url}/sessions/${session}`)
      expect(res.status).toBe(200)
      return { text: await res.text(), gaps: res.headers.get('flight-recorder-gaps') }
    },
  }
}

/** The seqs between the header and the last line that the log does not hold. */
function missingSeqs(text: string): number {
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { seq?: number; from_seq?: number })
  const seqs = lines.slice(1).map((l) => l.seq!)
  const from = lines[0].from_seq!
  return seqs[seqs.length - 1] - from + 1 - seqs.length
}

describe('httpSink: a @@dropped entry lost in an outage', () => {
  it('carries its count into the next one, so the counts in the collected log add up to the seqs missing from it', async () => {
    const server = await flakyCollector()
    const errors: string[] = []
    const recorder = createFlightRecorder({
      sinks: [httpSink(server.url, { retries: 1, retryDelayMs: 0, maxRetryDelayMs: 0, maxChunkBytes: 1024 })],
      flushIntervalMs: 600_000,
      onError: (e) => errors.push(e.message),
    })
    const store = createStore(reducer, recorder.enhancer)
    for (let i = 0; i < 5; i++) store.dispatch({ type: 'inc', payload: 'x'.repeat(300) })
    await recorder.flush()
    // Down for the next 12 requests: the 5 chunks of the 10 actions are given up (2 requests each;
    // the first is reported at once), then the chunk holding that report (its @@dropped and @@error
    // entries); what comes after them (a checkpoint, then actions) gets through.
    server.refuse(12)
    for (let i = 0; i < 10; i++) store.dispatch({ type: 'inc', payload: 'x'.repeat(300) })
    await recorder.flush()
    for (let round = 0; round < 4; round++) {
      store.dispatch({ type: 'inc', payload: 'x'.repeat(300) })
      await recorder.flush()
    }
    expect(server.refused).toBe(12)
    for (let i = 0; i < 5; i++) store.dispatch({ type: 'inc', payload: 'x'.repeat(300) })
    await recorder.close()

    const { text, gaps } = await server.log(recorder.session)
    const recording = parseRecording(text, { strict: false })
    const dropped = recording.entries.filter((e) => e.kind === '@@dropped') as Array<{ seq: number; count: number }>
    const missing = missingSeqs(text)
    // The collector names the gap.
    expect(gaps).not.toBe('')
    // A report was lost: onError heard of more reports than the log holds.
    const reports = errors.filter((m) => m.includes('A sink dropped'))
    expect(dropped.length).toBeGreaterThan(0)
    expect(reports.length).toBeGreaterThan(dropped.length)
    expect(dropped.reduce((n, d) => n + d.count, 0)).toBe(missing)
    expect(recording.end?.dropped).toBe(missing)
  })
})
