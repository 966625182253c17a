import { configureStore } from '@reduxjs/toolkit'
import type { Page } from 'playwright-core'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { httpSink, type HttpSinkOptions } from 'redux-flight-recorder/browser'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { StateJson } from '../../src/stateJson'
import { added, rootReducer, todosAdapter, toggled } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { assembleLog, growAndReload, startCollector, type Collector, type Delivery } from './harness'
import { setupBrowserSuite } from './suite'

const seqs = (deliveries: Delivery[]) =>
  new Set(deliveries.flatMap((d) => d.body.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq?: number }).seq ?? 0)))
const has = (upTo: number) => (deliveries: Delivery[]) => {
  const got = seqs(deliveries)
  for (let s = 0; s <= upTo; s++) if (!got.has(s)) return false
  return true
}

describeInChromium('httpSink (Chromium)', () => {
  const suite = setupBrowserSuite()
  let collector: Collector
  beforeEach(async () => {
    collector = await startCollector()
  })
  afterEach(async () => {
    await collector.close()
  })

  const recorderOf = (page: Page) =>
    page.evaluate(() => {
      const { recorder } = (window as any).app
      return { session: recorder.session as string, entries: recorder.stats().entries as number }
    })

  it('delivers every action, the tail by sendBeacon on pagehide when the page navigates away', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 600_000, lifecycle: 1 })
    const { session } = await recorderOf(page)
    for (let i = 0; i < 5; i++) await page.click('#add')
    await page.evaluate(() => (window as any).app.recorder.flush())
    expect(collector.deliveries).toHaveLength(1)
    expect(collector.deliveries[0]).toMatchObject({ session, from: 0, to: 5, mode: 'cors', contentType: 'text/plain;charset=UTF-8' })

    // Never flushed by a timer: these go when the page is hidden and left.
    await page.click('#toggle')
    await page.click('#add')
    await page.click('#add')
    const before = await page.evaluate(() => (window as any).app.store.getState())
    await Promise.all([page.waitForURL('**/other.html'), page.click('#leave')])

    await collector.waitFor((d) => d.some((x) => x.body.includes('"event":"pagehide"')))
    const { text, duplicates } = assembleLog(collector.deliveries, session)
    expect(duplicates).toBe(0)
    const recording = parseRecording(text)
    expect(recording.warnings).toEqual([])
    expect(recording.entries.filter(isActionEntry).map((e) => e.kind)).toEqual([
      ...Array(5).fill('todos/added'),
      'todos/toggled',
      'todos/added',
      'todos/added',
    ])
    // The page-hide entry went by beacon (a beacon of a text body is a no-cors request).
    const last = collector.deliveries.find((d) => d.body.includes('"event":"pagehide"'))!
    expect(last.mode).toBe('no-cors')
    const result = replay(recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 8 })
    expect(result.state).toEqual(before)
  })

  // Acceptance 40 (helper-163): the sink sends through the page's `fetch` as it is at each request, so
  // an app's wrapper (an auth header, a 401 handler that logs the user out) saw the log's requests.
  // In development the sink says so, once, unless the app passed `fetch`.
  const WRAPPED = "httpSink uses the page's fetch, which is not the browser's own"
  const sendTwice = async (page: Page) => {
    for (let round = 0; round < 2; round++) {
      await page.click('#add')
      await page.evaluate(() => (window as any).app.recorder.flush())
    }
  }

  it("warns once, in development, when the app has wrapped `fetch` before the sink sends and passed no `fetch`", async () => {
    const page = await suite.openApp({ http: collector.url, flush: 600_000, wrapFetch: 1 })
    const warnings: string[] = []
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()))
    const { session } = await recorderOf(page)
    await sendTwice(page)
    // The wrapper did see the log's requests (what the warning is about), several of them.
    expect(await page.evaluate(() => (window as any).app.fetchWrapperCalls())).toBeGreaterThanOrEqual(2)
    expect(collector.deliveries.filter((d) => d.session === session).length).toBeGreaterThanOrEqual(2)
    const said = warnings.filter((w) => w.includes(WRAPPED))
    expect(said).toHaveLength(1)
    expect(said[0]).toContain('httpSink(url, { fetch: platformFetch })')
  })

  it('says nothing when the app passes the fetch it captured before wrapping, and its wrapper sees none of the log', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 600_000, wrapFetch: 1, passFetch: 1 })
    const warnings: string[] = []
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()))
    const { session } = await recorderOf(page)
    await sendTwice(page)
    expect(collector.deliveries.filter((d) => d.session === session).length).toBeGreaterThanOrEqual(2)
    expect(await page.evaluate(() => (window as any).app.fetchWrapperCalls())).toBe(0)
    expect(warnings.filter((w) => w.includes(WRAPPED))).toEqual([])
  })

  it('a page reloaded before its first flush with a large state: its header, too large for a beacon, went ahead on its own, and the collector reads the whole session, which replays', async () => {
    // Over 256 KiB of state (2 000 todos of ~250 bytes); `lifecycle=first`: recordPageLifecycle's
    // pagehide flush runs before the sink's own listener (either order lost the header before).
    const page = await suite.openApp({ http: collector.url, flush: 600_000, preload: 2000, lifecycle: 'first' })
    const { session } = await recorderOf(page)
    // No flush: the header goes by itself once it is ready, alone in its request.
    await collector.waitFor((d) => d.some((x) => x.session === session && x.from === 0))
    expect(collector.deliveries.filter((x) => x.session === session).map((x) => [x.from, x.to])).toEqual([[0, 0]])
    // The page has the collector's answer too: a request still unanswered when the page is left
    // goes again (kept in localStorage for the next page: delivery is at least once), and the
    // header would arrive twice. (On a loaded machine the answer came after the reload.)
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks === 0)
    const before = await growAndReload(page)

    // The lines written at pagehide (the first write: its copy of the header left out).
    await collector.waitFor((d) => d.some((x) => x.session === session && x.body.includes('"event":"pagehide"')))
    const mine = collector.deliveries.filter((x) => x.session === session)
    expect(mine.filter((x) => x.body.includes('"kind":"@@session"'))).toHaveLength(1)
    const recording = parseRecording(assembleLog(collector.deliveries, session).text)
    expect(recording.header.from_seq).toBe(1)
    expect(recording.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(Array(10).fill('todos/added'))
    const result = replay(recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 10 })
    expect(result.state).toEqual(before)
  })

  it('sends many 60 KiB chunks back to back without a failed request, so no checkpoint is asked for', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 600_000, retries: 0 })
    const failed: string[] = []
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`))
    const { session } = await recorderOf(page)
    await page.evaluate(async () => {
      const { store, actions, recorder } = (window as any).app
      const title = 'x'.repeat(2000)
      // ~2 KB actions over a state that stays small: 600 adds grew it to 1.2 MB, and hashing and
      // writing that growing state took 33 s of a loaded machine (over the 30 s timeout), 3 s so.
      store.dispatch(actions.added({ id: 't0', title, done: false }))
      for (let i = 1; i < 600; i++) store.dispatch(actions.renamed({ id: 't0', title: `${title}${i}` }))
      await recorder.flush()
    })
    expect(failed).toEqual([])
    expect(collector.deliveries.length).toBeGreaterThanOrEqual(20)
    const { text, duplicates } = assembleLog(collector.deliveries, session)
    expect(duplicates).toBe(0)
    const recording = parseRecording(text)
    expect(recording.entries.filter(isActionEntry)).toHaveLength(600)
    expect(recording.entries.filter((e) => e.kind === '@@checkpoint' || e.kind === '@@dropped')).toEqual([])
  })

  it("reads a server's answer to the end: no request shows as failed (net::ERR_ABORTED) in the browser", async () => {
    // The package's collector answers 200 with a small JSON body; cancelling that body made
    // Chromium log every delivered batch as aborted in the Network panel.
    collector.reply = '{"stored":true,"duplicate":false}'
    const page = await suite.openApp({ http: collector.url, flush: 600_000 })
    const failed: string[] = []
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`))
    const { session } = await recorderOf(page)
    for (let round = 0; round < 3; round++) {
      await page.click('#add')
      await page.evaluate(() => (window as any).app.recorder.flush())
    }
    await collector.waitFor(has(3))
    expect(collector.deliveries.filter((d) => d.session === session)).toHaveLength(3)
    expect(failed).toEqual([])
  })

  it('keeps a chunk whose keepalive fetch on pagehide failed, and sends it when the page comes back (back/forward cache)', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 600_000 })
    const { session } = await recorderOf(page)
    await page.click('#add')
    await page.evaluate(() => (window as any).app.recorder.flush())
    await page.click('#add')
    await page.click('#toggle')
    // No beacon quota left, and the server answers 503 to the keepalive fetch that replaces it.
    collector.status = 503
    await page.evaluate(async () => {
      const posts: Array<Promise<unknown>> = []
      const original = window.fetch
      window.fetch = (...args: Parameters<typeof fetch>) => {
        const p = original(...args)
        posts.push(p.catch(() => {}))
        return p
      }
      navigator.sendBeacon = () => false
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
      await Promise.all(posts)
      window.fetch = original
    })
    expect(await page.evaluate(() => (window as any).app.sinks[0].pending().chunks)).toBe(1)
    collector.status = 204
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })))
    await collector.waitFor(has(3))
    const recording = parseRecording(assembleLog(collector.deliveries, session).text, { strict: false })
    expect(recording.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/toggled'])
    expect(recording.entries.filter((e) => e.kind === '@@dropped')).toEqual([])
  })

  it('sends what is pending as soon as the page is hidden', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 600_000 })
    await page.click('#add')
    await page.click('#add')
    expect(collector.deliveries).toEqual([])
    // Headless Chromium does not hide pages on its own (it does when leaving them, but pagehide
    // comes first there): report hidden and fire the event the browser would fire.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await collector.waitFor(has(2))
    expect(collector.deliveries).toHaveLength(1)
    expect(collector.deliveries[0]).toMatchObject({ from: 0, to: 2, mode: 'cors' })
  })

  it('loses nothing while the server is down for a while: it retries with backoff until the server is back', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 50, retries: 1000, retryDelay: 20, maxRetryDelay: 200 })
    const { session } = await recorderOf(page)
    await page.click('#add')
    await collector.waitFor(has(1))

    await collector.stop()
    for (let i = 0; i < 10; i++) {
      await page.click(i % 3 === 2 ? '#toggle' : '#add')
      await page.waitForTimeout(60)
    }
    // The chunks are held by the sink (and behind it by the recorder) while the server is down.
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks > 0)
    await collector.start()

    await collector.waitFor(has(11))
    const { text } = assembleLog(collector.deliveries, session)
    const recording = parseRecording(text)
    expect(recording.warnings).toEqual([])
    expect(recording.entries.map((e) => e.kind)).not.toContain('@@dropped')
    expect(recording.entries.filter(isActionEntry)).toHaveLength(11)
    const result = replay(recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 11 })
    expect(result.state).toEqual(await page.evaluate(() => (window as any).app.store.getState()))
  })
})

describe('httpSink', () => {
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

  function record(options: HttpSinkOptions = {}, flushIntervalMs = 600_000) {
    recorder = createFlightRecorder({ sinks: [httpSink(collector.url, options)], flushIntervalMs })
    const store = configureStore({
      reducer: rootReducer,
      middleware: (g) => g().prepend(recorder!.middleware),
      enhancers: (g) => g().concat(recorder!.enhancer),
    })
    return { recorder, store }
  }

  /** An outage from the first action on: its chunk is refused, which asks for a checkpoint; the next flush tick writes it. */
  async function startOutage(options: HttpSinkOptions) {
    const { recorder, store } = record(options, 10)
    collector.status = 503
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    while (!recorder.snapshot().entries.some((e) => e.kind === '@@checkpoint')) await new Promise((r) => setTimeout(r, 5))
    return { recorder, store }
  }

  /** After the outage: the log the collector assembled, and its replay. */
  async function collected(recorder: FlightRecorder) {
    await recorder.flush()
    await recorder.close()
    const recording = parseRecording(assembleLog(collector.deliveries, recorder.session).text, { strict: false })
    return { recording, result: replay(recording, { reducer: rootReducer }) }
  }

  it('sends chunks of at most 60 KiB, in order, each with the session and its seq span', async () => {
    const { recorder, store } = record()
    const title = 'x'.repeat(2000)
    for (let i = 0; i < 100; i++) store.dispatch(added({ id: `t${i}`, title, done: false }))
    await recorder.flush()
    expect(collector.deliveries.length).toBeGreaterThanOrEqual(4)
    let next = 0
    for (const d of collector.deliveries) {
      expect(Buffer.byteLength(d.body)).toBeLessThanOrEqual(60 * 1024)
      expect(d.session).toBe(recorder.session)
      const lines = d.body.trimEnd().split('\n').map((l) => JSON.parse(l) as { seq?: number; kind: string })
      const first = lines[0].kind === '@@session' ? 0 : lines[0].seq
      expect([d.from, d.to]).toEqual([first, lines.at(-1)!.seq])
      expect(d.from).toBe(next)
      next = d.to + 1
    }
    expect(next).toBe(101)
    expect(replay(assembleLog(collector.deliveries, recorder.session).text, { reducer: rootReducer }).ok).toBe(true)
  })

  it('sends a line larger than a chunk on its own', async () => {
    const { recorder, store } = record({ maxChunkBytes: 4096 })
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    store.dispatch(added({ id: 'big', title: 'y'.repeat(10_000), done: false }))
    store.dispatch(toggled('a'))
    await recorder.flush()
    expect(collector.deliveries.map((d) => [d.from, d.to])).toEqual([
      [0, 1],
      [2, 2],
      [3, 3],
    ])
    expect(replay(assembleLog(collector.deliveries, recorder.session).text, { reducer: rootReducer }).ok).toBe(true)
  })

  /**
   * A store of 2,500 todos (non-ASCII titles) recorded into `sink`, once the state writer (a chunk of
   * its own, loaded when the recorder starts) is there: full states then go in parts, and it has
   * begun preparing the header's state.
   */
  async function largeStore(sink: ReturnType<typeof httpSink>) {
    const prepare = vi.spyOn(StateJson.prototype, 'prepare')
    recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 600_000, checkpointEvery: 4 })
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, title: `T\u00e9 ${i} \ud83d\ude00`, done: i % 2 === 0 }))
    const store = configureStore({
      reducer: rootReducer,
      preloadedState: { todos: todosAdapter.setAll(rootReducer(undefined, { type: 'init' }).todos, many(2500)) } as never,
      middleware: (g) => g().prepend(recorder!.middleware),
      enhancers: (g) => g().concat(recorder!.enhancer),
    })
    await vi.waitFor(() => expect(prepare).toHaveBeenCalled())
    prepare.mockRestore()
    return store
  }

  it('sends a large state (header, checkpoint, @@end) from its parts, as a Blob body: the log replays and verifies', async () => {
    const store = await largeStore(httpSink(collector.url))
    for (let i = 0; i < 9; i++) store.dispatch(i % 3 === 0 ? added({ id: `n${i}`, title: 'n', done: false }) : toggled(`m${i * 7}`))
    await recorder!.close()
    const big = collector.deliveries.filter((d) => d.body.length > 100_000)
    // The header, two checkpoints and @@end, each a chunk of its own.
    expect(big).toHaveLength(4)
    for (const d of big) expect(d.contentType).toBe('text/plain;charset=UTF-8')
    const recording = parseRecording(assembleLog(collector.deliveries, recorder!.session).text)
    const result = replay(recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 9 })
    expect(result.state).toEqual(store.getState())
    recorder = undefined
  })

  it('does not scan a large state for its UTF-8 bytes: a line in parts longer than a chunk goes alone, its Blob says them', async () => {
    // Counted as each large line was queued (the early header twice): a scan of every part, 20-70 ms
    // in one task for 10 MB in Chromium.
    const sink = httpSink(collector.url)
    const store = await largeStore(sink)
    // (The UTF-8 count's scan: a search for the first non-ASCII character of each string.)
    const search = vi.spyOn(String.prototype, 'search')
    try {
      for (let i = 0; i < 5; i++) store.dispatch(toggled(`m${i * 7}`))
      await recorder!.flush()
      expect(search.mock.contexts.filter((s) => String(s).length > 10_000)).toEqual([])
    } finally {
      search.mockRestore()
    }
    // Delivered whole: the header and a checkpoint, each alone, and the log replays.
    expect(collector.deliveries.filter((d) => d.body.length > 100_000)).toHaveLength(2)
    expect(sink.pending()).toEqual({ chunks: 0, bytes: 0 })
    await recorder!.close()
    const result = replay(assembleLog(collector.deliveries, recorder!.session).text, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 5 })
    recorder = undefined
  })

  it('retries server errors with backoff and delivers once the server answers again', async () => {
    const { recorder, store } = record({ retryDelayMs: 5, maxRetryDelayMs: 20, retries: 100 })
    collector.status = 503
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    const flushed = recorder.flush()
    while (collector.refused < 3) await new Promise((r) => setTimeout(r, 5))
    collector.status = 204
    await flushed
    expect(collector.deliveries).toHaveLength(1)
    expect(parseRecording(collector.deliveries[0].body).entries).toHaveLength(1)
  })

  it('gives a chunk up after `retries` failures and reports it as @@dropped; the header travels on', async () => {
    const { recorder, store } = record({ retryDelayMs: 1, maxRetryDelayMs: 2, retries: 2 })
    collector.status = 503
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    store.dispatch(added({ id: 'b', title: 'b', done: false }))
    await recorder.flush()
    expect(collector.refused).toBe(3)
    collector.status = 204
    store.dispatch(toggled('a'))
    await recorder.flush()

    const recording = parseRecording(assembleLog(collector.deliveries, recorder.session).text, { strict: false })
    expect(recording.warnings).toEqual([expect.stringMatching(/Entries 1–2 are missing/)])
    // The recorder answers a drop with a checkpoint of the state the next action starts from, and says it as a fault.
    expect(recording.entries.map((e) => e.kind)).toEqual(['@@dropped', '@@error', '@@checkpoint', 'todos/toggled'])
    expect(recording.entries[0]).toMatchObject({ count: 2, reason: 'http-unreachable' })
    expect(recording.entries[1]).toMatchObject({ body: { source: 'sink', message: 'A sink dropped 2 lines (http-unreachable).' } })
    expect(recorder.stats().dropped).toBe(2)
    // Replay cannot cross the gap; it resumes at the checkpoint.
    const result = replay(recording, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.warnings).toContainEqual(expect.stringMatching(/replay resumes at the next full state/))
  })

  it('while the server stays unreachable, reports the first loss at once and the rest together when a chunk gets through (no report feeds another)', async () => {
    const errors: string[] = []
    recorder = createFlightRecorder({ sinks: [httpSink(collector.url, { retryDelayMs: 1, maxRetryDelayMs: 2, retries: 0 })], flushIntervalMs: 20, onError: (e) => errors.push(e.message) })
    const store = configureStore({ reducer: rootReducer, enhancers: (g) => g().concat(recorder!.enhancer) })
    collector.status = 503
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    // The flush timer sends what the drop report wrote (a @@dropped entry, a checkpoint, an
    // @@error): it is refused and given up in turn. Waited for, not a fixed 300 ms (a loaded machine
    // had refused nothing yet by then); flush() then waits for the refused write to be given up.
    while (collector.refused < 2) await new Promise((r) => setTimeout(r, 10))
    await recorder.flush()
    // The action's chunk, then the chunk of what its loss wrote: both refused, neither reported twice.
    expect(collector.refused).toBeGreaterThanOrEqual(2)
    const during = recorder.snapshot().entries.filter((e) => e.kind === '@@dropped')
    expect(during).toHaveLength(1)
    expect(errors.filter((m) => m.includes('A sink dropped'))).toHaveLength(1)
    collector.status = 204
    store.dispatch(toggled('a'))
    await recorder.flush()
    await recorder.flush()
    const dropped = recorder.snapshot().entries.filter((e) => e.kind === '@@dropped') as { count: number }[]
    // The first loss, then everything the outage cost in one entry once the server took a chunk.
    expect(dropped).toHaveLength(2)
    expect(dropped[0].count).toBe(1)
    expect(dropped[1].count).toBeGreaterThan(1)
    // The first report's own line was lost with its chunk: the second carries its count, so the
    // log the server has adds up (test/collector/lostDropped.spec.ts), and it holds every loss.
    expect(recorder.stats().dropped).toBe(dropped[1].count)
  })

  it('a chunk given up at the start of a session leaves the actions after it checked: the first failure asks for a checkpoint', async () => {
    const { recorder, store } = await startOutage({ retryDelayMs: 60, maxRetryDelayMs: 60, retries: 2 })
    // While the first chunk waits to be sent again, the app goes on.
    for (const id of ['b', 'c', 'd']) store.dispatch(added({ id, title: id, done: false }))
    while (collector.refused < 3) await new Promise((r) => setTimeout(r, 5))
    collector.status = 204
    const { recording, result } = await collected(recorder)
    expect(recording.warnings).toEqual([expect.stringMatching(/^Entry 1 is missing/)])
    expect(result.ok).toBe(true)
    // b, c and d were hash-checked: they start from the checkpoint the first failure asked for.
    expect(result.steps).toBe(3)
    expect(result.checked).toBeGreaterThanOrEqual(3)
    expect(result.state).toEqual(store.getState())
  })

  it('keeps the chunk holding that checkpoint through an outage longer than `retries`: what arrives after it is checked', async () => {
    const { recorder, store } = await startOutage({ retryDelayMs: 5, maxRetryDelayMs: 5, retries: 1 })
    for (const id of ['b', 'c', 'd']) {
      store.dispatch(added({ id, title: id, done: false }))
      await new Promise((r) => setTimeout(r, 15))
    }
    // Many more refusals than two chunks' worth of retries: the outage outlasts them.
    const until = Date.now() + 3000
    while (collector.refused < 12 && Date.now() < until) await new Promise((r) => setTimeout(r, 5))
    collector.status = 204
    store.dispatch(toggled('b'))
    const { recording, result } = await collected(recorder)
    // What was lost is the first chunk and, depending on timing, the @@dropped report after it.
    expect(recording.warnings).toEqual([expect.stringMatching(/^(Entry 1 is|Entries 1–\d are) missing/)])
    expect(result.ok).toBe(true)
    // b, c, d and the toggle all arrived, each checked from the kept checkpoint on.
    expect(result.steps).toBe(4)
    expect(result.checked).toBeGreaterThanOrEqual(4)
    expect(result.state).toEqual(store.getState())
  })

  it('aborts a request the server holds open after `requestTimeoutMs`, retries it, and delivers', async () => {
    // 1 s: long enough that the retry's own answer (immediate) is not also cut off on a loaded
    // machine. If it were, the server would get the chunk twice (delivery is at least once; the
    // real collector drops a repeated seq): each delivery is then the same chunk.
    const { recorder, store } = record({ requestTimeoutMs: 1000, retryDelayMs: 1, maxRetryDelayMs: 2 })
    collector.hold = 1
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.flush()
    expect(collector.held).toBe(1)
    expect(collector.deliveries.length).toBeGreaterThanOrEqual(1)
    for (const d of collector.deliveries) expect(parseRecording(d.body).entries.map((e) => [e.seq, e.kind])).toEqual([[1, 'todos/added']])
  })

  it('rejects a `requestTimeoutMs` below 1, in development', () => {
    expect(() => httpSink(collector.url, { requestTimeoutMs: 0 })).toThrow('[redux-flight-recorder] Expected `requestTimeoutMs` to be a number of at least 1. Instead, received: 0.')
  })

  it('says so through onError when the runtime has no fetch, instead of retrying in silence', async () => {
    const had = Object.getOwnPropertyDescriptor(globalThis, 'fetch')!
    const errors: string[] = []
    try {
      delete (globalThis as { fetch?: unknown }).fetch
      recorder = createFlightRecorder({ sinks: [httpSink(collector.url)], flushIntervalMs: 600_000, onError: (e) => errors.push(e.message) })
      const store = configureStore({ reducer: rootReducer, enhancers: (g) => g().concat(recorder!.enhancer) })
      store.dispatch(added({ id: 'a', title: 'a', done: false }))
      await recorder.flush()
      expect(errors[0]).toBe('[redux-flight-recorder] sink failed: httpSink needs `fetch` (pass `fetch` in the options on runtimes without it).')
    } finally {
      Object.defineProperty(globalThis, 'fetch', had)
    }
  })

  it('gives a chunk up at once on a client error such as 413', async () => {
    const { recorder, store } = record({ retryDelayMs: 1 })
    collector.status = 413
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.flush()
    expect(collector.refused).toBe(1)
    collector.status = 204
    store.dispatch(toggled('a'))
    await recorder.flush()
    const recording = parseRecording(assembleLog(collector.deliveries, recorder.session).text, { strict: false })
    expect(recording.entries[0]).toMatchObject({ kind: '@@dropped', count: 1, reason: 'http-413' })
  })

  it('validates its arguments', () => {
    expect(() => httpSink(42 as never)).toThrow(/Expected `url` to be a string or a URL/)
    expect(() => httpSink('/log', { maxChunkBytes: 10 })).toThrow(/`maxChunkBytes` to be a number of at least 1024/)
  })
})
