import type { IncomingMessage, ServerResponse } from 'node:http'
import { createStore, type Reducer } from 'redux'
import { createFlightRecorder } from 'redux-flight-recorder'
import { httpSink } from 'redux-flight-recorder/browser'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, listen, tempDir } from './helpers'

// A state larger than the collector takes in one request (`limits.maxBodyBytes`): each full-state
// line was refused (413), reported as `@@dropped`, which asked for a checkpoint, as large, refused
// in turn... A 10 MB state sent 170 MB in 20 s (acceptance run I).

// `pad`: every full-state line (a checkpoint, `@@end`) is larger than the refused action line by more
// than their other fields can differ (seq, count, the digits of `t`): without it `@@end` was as large
// within a byte or two, and one run in about twenty here sent it (smaller by the digits of its `t`), refused again.
type S = { n: number; page: string; pad: string }
const reducer: Reducer<S> = (s = { n: 0, page: '', pad: 'p'.repeat(64) }, a) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : a.type === 'load' ? { ...s, page: (a as unknown as { payload: string }).payload } : s)

const running: Array<() => Promise<void>> = []
afterEach(async () => {
  while (running.length) await running.pop()!()
})

describe('httpSink and a server that refuses a full state as too large (413)', () => {
  it('reports the loss once per full state and asks for no checkpoint it cannot send: bounded traffic, the small lines still delivered', async () => {
    const tmp = await tempDir()
    const collector = createCollector({ store: fileStore(tmp.dir), adminToken: ADMIN_TOKEN, limits: { maxBodyBytes: 64 * 1024 } })
    let posted = 0
    let refused = 0
    const server = await listen((req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST') {
        posted += Number(req.headers['content-length'] ?? 0)
        res.on('finish', () => res.statusCode === 413 && refused++)
      }
      void collector(req, res)
    })
    running.push(async () => {
      collector.close()
      await server.close()
      await tmp.remove()
    })
    const errors: string[] = []
    const recorder = createFlightRecorder({ sinks: [httpSink(`${server.url}/ingest`, { retryDelayMs: 1 })], flushIntervalMs: 600_000, onError: (e) => errors.push(e.message) })
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    await recorder.flush()
    // A page of data larger than the server takes: the state after it is in every full-state line.
    store.dispatch({ type: 'load', payload: 'x'.repeat(200 * 1024) })
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 5; i++) store.dispatch({ type: 'inc' })
      await recorder.flush()
    }
    await recorder.close()
    // Lost: the 200 KB action (refused), the one checkpoint its loss asked for and `@@end` (given
    // up unsent, as large): three reports, no checkpoint asked for after the last two.
    expect(recorder.stats()).toMatchObject({ dropped: 3, actions: 52 })
    expect(errors).toEqual(Array(3).fill('[redux-flight-recorder] sink failed: A sink dropped 1 line (http-413).'))
    // One request refused, and no full state sent again after it.
    expect(refused).toBe(1)
    expect(posted).toBeLessThan(2 * 200 * 1024)
    expect(store.getState().n).toBe(51)
  })

  it('after a 413, does not upload a full state in parts whose length is under the refused size but whose UTF-8 bytes are not', async () => {
    const tmp = await tempDir()
    const collector = createCollector({ store: fileStore(tmp.dir), adminToken: ADMIN_TOKEN, limits: { maxBodyBytes: 64 * 1024 } })
    let refused = 0
    const server = await listen((req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST') res.on('finish', () => res.statusCode === 413 && refused++)
      void collector(req, res)
    })
    running.push(async () => {
      collector.close()
      await server.close()
      await tmp.remove()
    })
    type P = { n: number; rows: string[] }
    const rows: Reducer<P> = (s = { n: 0, rows: [] }, a) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : a.type === 'rows' ? { ...s, rows: (a as unknown as { payload: string[] }).payload } : s)
    const recorder = createFlightRecorder({ sinks: [httpSink(`${server.url}/ingest`, { retryDelayMs: 1 })], flushIntervalMs: 600_000, onError: () => {} })
    const store = createStore(rows, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    await recorder.flush()
    // 100 rows (a container written in parts) of 2,000 ASCII characters: ~200 KB, refused.
    store.dispatch({ type: 'rows', payload: Array.from({ length: 100 }, () => 'x'.repeat(2000)) })
    await recorder.flush()
    const first = refused
    expect(first).toBeGreaterThan(0)
    // 100 rows of 1,200 'é': ~120,000 characters, ~240,000 bytes. Its action line (counted in
    // bytes) is given up unsent; so must be the checkpoint its loss asks for and `@@end`, states in
    // parts counted by their length until their Blob is made.
    store.dispatch({ type: 'rows', payload: Array.from({ length: 100 }, () => 'é'.repeat(1200)) })
    await recorder.flush()
    store.dispatch({ type: 'inc' })
    await recorder.close()
    expect(refused).toBe(first)
    expect(store.getState().n).toBe(2)
  })
})
