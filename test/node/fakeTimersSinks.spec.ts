import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore, type Reducer } from 'redux'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { httpSink } from 'redux-flight-recorder/browser'
import { fileSink } from 'redux-flight-recorder/node'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { OPEN_MS, openDatabase } from '../../src/browser/idb'
import { StateJson } from '../../src/stateJson'
import { assembleLog, startCollector, type Collector } from '../browser/harness'
import { makeUnwritable, tempDir } from './helpers'

/**
 * A user's test that records under fake timers (`vi.useFakeTimers()`, the usual setup of component
 * tests) and never advances them: a sink's retry after a failed write, and httpSink's request
 * timeout, must still happen, or `flush()`/`close()` wait forever and the lines never arrive.
 * The real timers are taken here before any test fakes them; they only bound how long a test
 * waits for a promise that would otherwise never settle (a hang), nothing is measured with them.
 */
const realSetTimeout = setTimeout
const realSetImmediate = setImmediate
const realSleep = (ms: number) => new Promise((r) => realSetTimeout(r, ms))
async function settles<T>(p: Promise<T>, what: string): Promise<T> {
  const hung = Symbol('hung')
  const r = await Promise.race([p, realSleep(15_000).then(() => hung)])
  if (r === hung) throw new Error(`${what} did not settle under fake timers (a retry or timeout scheduled on a faked timer?)`)
  return r as T
}

interface Counter {
  n: number
}
const reducer: Reducer<Counter> = (s = { n: 0 }, a) => (a.type === 'inc' ? { n: s.n + 1 } : s)

const fakes: [string, Parameters<typeof vi.useFakeTimers>[0]][] = [
  ['the default fakes', undefined],
  ['every timer, performance and Date', { toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date', 'performance'] }],
]

describe.each(fakes)('sinks under fake timers (%s)', (_, config) => {
  let recorder: FlightRecorder | undefined
  let collector: Collector | undefined
  let restore: (() => void) | undefined
  beforeEach(() => {
    recorder = undefined
    collector = undefined
    restore = undefined
  })
  afterEach(async () => {
    vi.useRealTimers()
    restore?.()
    await recorder?.close()
    await collector?.close()
  })

  it('fileSink: a write that failed is retried after its backoff, and close() writes every line', async () => {
    const dir = join(tempDir(), 'logs')
    mkdirSync(dir)
    writeFileSync(join(dir, 'old.jsonl'), '')
    const file = join(dir, 'log.jsonl')
    const unwritable = makeUnwritable(dir)
    restore = unwritable.restore
    const errors: string[] = []
    vi.useFakeTimers(config)
    recorder = createFlightRecorder({ sinks: [fileSink(file, { processLifecycle: false, retry: { minDelayMs: 20, maxDelayMs: 40 } })], onError: (e) => errors.push(e.message) })
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    await settles(recorder.flush(), 'flush()')
    expect(errors[0], unwritable.how).toContain('Could not write')
    unwritable.restore()
    restore = undefined
    store.dispatch({ type: 'inc' })
    await settles(recorder.flush(), 'flush() after the directory came back')
    await settles(recorder.close(), 'close()')
    const log = parseRecording(readFileSync(file, 'utf8'), { strict: false })
    expect(log.entries.filter(isActionEntry)).toHaveLength(2)
    expect(log.end).toMatchObject({ kind: '@@end' })
  })

  it('httpSink: a refused chunk is sent again after its backoff, and close() delivers every line', async () => {
    collector = await startCollector()
    collector.status = 503
    vi.useFakeTimers(config)
    recorder = createFlightRecorder({ sinks: [httpSink(collector.url, { retryDelayMs: 20, maxRetryDelayMs: 40 })] })
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    const flushed = recorder.flush()
    while (collector.refused === 0) await realSleep(5)
    collector.status = 204
    await settles(flushed, 'flush()')
    store.dispatch({ type: 'inc' })
    await settles(recorder.close(), 'close()')
    const log = parseRecording(assembleLog(collector.deliveries, recorder.session).text)
    expect(log.entries.filter(isActionEntry)).toHaveLength(2)
    expect(log.end).toMatchObject({ kind: '@@end' })
  })

  it('httpSink: a large state (its body a Blob built over several tasks) is delivered and close() settles', async () => {
    collector = await startCollector()
    vi.useFakeTimers(config)
    const prepare = vi.spyOn(StateJson.prototype, 'prepare')
    recorder = createFlightRecorder({ sinks: [httpSink(collector.url)] })
    const items = Array.from({ length: 40_000 }, (_, i) => `item ${i} ${'y'.repeat(40)}`)
    const big: Reducer<{ n: number; items: string[] }> = (s = { n: 0, items }, a) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : s)
    const store = createStore(big, recorder.enhancer)
    // Full states go in parts (and httpSink's body as a Blob of them) once the state writer, a
    // chunk loaded when the recorder starts, is there: it then prepares the header's state.
    while (prepare.mock.calls.length === 0) await realSleep(5)
    prepare.mockRestore()
    store.dispatch({ type: 'inc' })
    await settles(recorder.close(), 'close()')
    const log = parseRecording(assembleLog(collector.deliveries, recorder.session).text)
    expect(collector.deliveries.some((d) => d.body.length > 1_000_000)).toBe(true)
    expect(log.entries.filter(isActionEntry)).toHaveLength(1)
    expect(log.end).toMatchObject({ kind: '@@end' })
  })

  it('httpSink: a request the server holds open is aborted after requestTimeoutMs and sent again', async () => {
    collector = await startCollector()
    collector.hold = 1
    vi.useFakeTimers(config)
    recorder = createFlightRecorder({ sinks: [httpSink(collector.url, { requestTimeoutMs: 100, retryDelayMs: 5, maxRetryDelayMs: 10 })] })
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    await settles(recorder.close(), 'close()')
    expect(collector.held).toBe(1)
    const log = parseRecording(assembleLog(collector.deliveries, recorder.session).text)
    expect(log.entries.filter(isActionEntry)).toHaveLength(1)
  })
  it('indexedDbSink: a test that advances its fake clock past the open timeout before IndexedDB answers does not give the database up', async () => {
    // A fake IndexedDB answering on real time (fake-indexeddb answers with setImmediate), while
    // the test moves its faked clock well past OPEN_MS at once, as a component test's setup can.
    const db = { close() {}, objectStoreNames: { contains: () => true } }
    const factory = {
      open() {
        const request = { result: db, error: null, onsuccess: null as null | (() => void), onerror: null, onupgradeneeded: null, onblocked: null }
        realSetImmediate(() => realSetImmediate(() => request.onsuccess?.()))
        return request
      },
    } as unknown as IDBFactory
    vi.useFakeTimers(config)
    const opened = openDatabase('fake-clock', factory, 'the session is not stored')
    vi.advanceTimersByTime(OPEN_MS * 2)
    await expect(settles(opened, 'openDatabase')).resolves.toBe(db)
  })
})
