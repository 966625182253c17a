import type { Page } from 'playwright-core'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { beforeEach, afterEach, expect, it } from 'vitest'
import { rootReducer } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { assembleLog, startCollector, type Collector, type Delivery } from './harness'
import { setupBrowserSuite } from './suite'

const seqsOf = (deliveries: Delivery[], session: string) =>
  new Set(
    deliveries
      .filter((d) => d.session === session)
      .flatMap((d) => d.body.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq?: number }).seq ?? 0)),
  )

/** The characters this origin's `localStorage` holds under httpSink's keys. */
const spilled = (page: Page) =>
  page.evaluate(() => {
    let chars = 0
    let keys = 0
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!
      if (!key.startsWith('redux-flight-recorder:http ')) continue
      keys++
      chars += key.length + localStorage.getItem(key)!.length
    }
    return { keys, chars }
  })

describeInChromium('httpSink: a reload while the server is down (Chromium)', () => {
  const suite = setupBrowserSuite()
  let collector: Collector
  beforeEach(async () => {
    collector = await startCollector()
  })
  afterEach(async () => {
    await collector.close()
  })

  /**
   * The app records to the collector, which takes the first action, then goes down. `during`
   * records while it is down; the page then waits for one of the sink's requests to fail (the sink
   * knows the server does not answer) and reloads. Resolves with the first page's session and state.
   */
  async function reloadDuringOutage(page: Page, during: () => Promise<void>) {
    const session = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.click('#add')
    await collector.waitFor((d) => seqsOf(d, session).has(1))
    await collector.stop()
    const failed = new Promise<void>((resolve) => page.on('requestfailed', (r) => r.url().startsWith(collector.url) && resolve()))
    await during()
    await failed
    const state: unknown = await page.evaluate(() => (window as any).app.store.getState())
    await page.reload()
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    return { session, state }
  }

  it('keeps what it could not deliver in localStorage and the next page sends it first, under its session and seqs: the log is whole and replays', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 50, retries: 1000, retryDelay: 20, maxRetryDelay: 200 })
    const { session, state } = await reloadDuringOutage(page, async () => {
      for (let i = 0; i < 6; i++) await page.click(i % 3 === 2 ? '#toggle' : '#add')
    })
    const next = await page.evaluate(() => (window as any).app.recorder.session as string)
    expect(next).not.toBe(session)
    // Held while the server is still down (said after the log, which is what the user misses without it).
    const held = await spilled(page)
    await collector.start()
    await page.click('#add')
    await collector.waitFor((d) => seqsOf(d, next).has(1))

    const recording = parseRecording(assembleLog(collector.deliveries, session).text)
    expect(recording.warnings).toEqual([])
    expect(recording.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/added', 'todos/toggled', 'todos/added', 'todos/added', 'todos/toggled'])
    const result = replay(recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 7 })
    expect(result.state).toEqual(state)
    expect(held.keys).toBe(1)
    // Sent before the new page's own lines, and the spill is gone once delivered.
    const order = collector.deliveries.map((d) => d.session)
    expect(order.lastIndexOf(session)).toBeLessThan(order.indexOf(next))
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks === 0)
    expect((await spilled(page)).keys).toBe(0)
  })

  it('keeps at most 1 MiB of localStorage, the oldest lines first, and says how many lines it could not keep with a @@dropped entry after them', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 50, retries: 1000, retryDelay: 20, maxRetryDelay: 200, sinkQueueBytes: 16 * 1024 * 1024 })
    const N = 2000
    const { session } = await reloadDuringOutage(page, () =>
      page.evaluate((n) => {
        const { store, actions } = (window as any).app
        // ~1 KB actions on a small state (one todo renamed again and again).
        for (let i = 0; i < n; i++) store.dispatch(actions.renamed({ id: 'todo-1', title: `${i} ${'x'.repeat(1000)}` }))
      }, N),
    )
    const held = await spilled(page)
    await collector.start()
    const next = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.click('#add')
    await collector.waitFor((d) => seqsOf(d, next).has(1))

    const recording = parseRecording(assembleLog(collector.deliveries, session).text, { strict: false })
    const actions = recording.entries.filter(isActionEntry)
    // A prefix was kept: the first action, then the outage's first actions in order.
    expect(actions.length).toBeGreaterThan(500)
    expect(actions.length).toBeLessThan(N)
    expect(actions.slice(1).map((e) => (e.action as unknown as { payload: { title: string } }).payload.title.split(' ')[0])).toEqual(actions.slice(1).map((_, i) => String(i)))
    const dropped = recording.entries.filter((e) => e.kind === '@@dropped') as Array<{ seq: number; count: number; reason: string }>
    expect(dropped).toHaveLength(1)
    expect(dropped[0]).toMatchObject({ reason: 'http-unsent' })
    // Every line the first page wrote is in the log or counted by the report, and readers warn of the gap.
    const report = dropped[0].seq
    expect(recording.entries.at(-1)).toBe(dropped[0])
    const last = recording.entries.at(-2)!.seq
    expect(last + dropped[0].count).toBe(report - 1)
    expect(report - 1).toBeGreaterThanOrEqual(N)
    expect(recording.warnings).toEqual([expect.stringMatching(new RegExp(`^Entries ${last + 1}–${report - 1} are missing`))])
    expect(held.keys).toBe(1)
    expect(held.chars).toBeLessThanOrEqual(1024 * 1024)
    expect(held.chars).toBeGreaterThan(900 * 1024)
    const result = replay(recording, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.steps).toBe(actions.length)
  })
  it('keeps the oldest lines of a chunk larger than maxUnsentBytes, not none of them: the log replays up to where it stops, then a @@dropped entry counts exactly the lines not kept', async () => {
    // (A flush a second apart: every action of the outage is ready for the first one.)
    const page = await suite.openApp({ http: collector.url, flush: 1000, retries: 1000, retryDelay: 20, maxRetryDelay: 200, maxUnsentBytes: 8000 })
    const N = 200
    // The requests of the first page: the outage's actions go in one chunk, ~6 times maxUnsentBytes.
    const requests: Array<{ from: number; to: number; chars: number }> = []
    page.on('request', (r) => {
      if (!r.url().startsWith(collector.url)) return
      const u = new URL(r.url())
      requests.push({ from: Number(u.searchParams.get('from')), to: Number(u.searchParams.get('to')), chars: r.postData()?.length ?? 0 })
    })
    const { session } = await reloadDuringOutage(page, () =>
      page.evaluate((n) => {
        const { store, actions } = (window as any).app
        // ~270-byte lines, all in one flush.
        for (let i = 0; i < n; i++) store.dispatch(actions.renamed({ id: 'todo-1', title: `${i} ${'x'.repeat(80)}` }))
      }, N),
    )
    expect(requests).toContainEqual({ from: 2, to: N + 1, chars: expect.any(Number) })
    expect(requests.find((r) => r.from === 2 && r.to === N + 1)!.chars).toBeGreaterThan(5 * 8000)
    const held = await spilled(page)
    expect(held.keys).toBe(1)
    expect(held.chars).toBeLessThanOrEqual(8000)
    await collector.start()
    const next = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.click('#add')
    await collector.waitFor((d) => seqsOf(d, next).has(1))
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks === 0)

    const recording = parseRecording(assembleLog(collector.deliveries, session).text, { strict: false })
    const actions = recording.entries.filter(isActionEntry)
    // The action before the outage, then the outage's oldest actions in order (about 25 fit in 8,000 characters).
    expect(actions.length).toBeGreaterThan(20)
    expect(actions.slice(1).map((e) => (e.action as unknown as { payload: { title: string } }).payload.title.split(' ')[0])).toEqual(actions.slice(1).map((_, i) => String(i)))
    const dropped = recording.entries.filter((e) => e.kind === '@@dropped') as Array<{ seq: number; count: number; reason: string }>
    expect(dropped).toEqual([expect.objectContaining({ reason: 'http-unsent' })])
    expect(recording.entries.at(-1)).toBe(dropped[0])
    // Every line the first page wrote after the last one kept is counted, and only those.
    const last = recording.entries.at(-2)!.seq
    expect(last).toBe(actions.at(-1)!.seq)
    expect(dropped[0].count).toBe(dropped[0].seq - 1 - last)
    expect(dropped[0].seq - 1).toBeGreaterThanOrEqual(N + 1)
    expect(recording.warnings).toEqual([expect.stringMatching(new RegExp(`^Entries ${last + 1}–${dropped[0].seq - 1} are missing`))])
    const result = replay(recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, steps: actions.length })
    expect(result.checked).toBe(actions.length)
  })
  it('with maxUnsentBytes: 0 keeps no line in localStorage, only the count of those lost, which the next page reports', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 50, retries: 1000, retryDelay: 20, maxRetryDelay: 200, maxUnsentBytes: 0 })
    const { session } = await reloadDuringOutage(page, async () => {
      for (let i = 0; i < 4; i++) await page.click('#add')
    })
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('redux-flight-recorder:http ')).map((k) => localStorage.getItem(k)!))
    expect(stored).toHaveLength(1)
    expect(stored[0]).not.toContain('todos/added')
    expect(stored[0]).toContain('@@dropped')
    await collector.start()
    const next = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.click('#add')
    await collector.waitFor((d) => seqsOf(d, next).has(1) && seqsOf(d, session).size > 2)
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks === 0)
    const recording = parseRecording(assembleLog(collector.deliveries, session).text, { strict: false })
    // The action before the outage, then the report of the four lost with the page.
    expect(recording.entries.filter(isActionEntry)).toHaveLength(1)
    expect(recording.entries.filter((e) => e.kind === '@@dropped')).toEqual([expect.objectContaining({ reason: 'http-unsent' })])
    expect(recording.warnings).toEqual([expect.stringMatching(/^Entries 2–\d+ are missing/)])
  })
  it('keeps nothing when the page is only hidden (it lives on: another tab would send its lines too)', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 50, retries: 1000, retryDelay: 20, maxRetryDelay: 200 })
    const session = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.click('#add')
    await collector.waitFor((d) => seqsOf(d, session).has(1))
    await collector.stop()
    const failed = new Promise<void>((resolve) => page.on('requestfailed', (r) => r.url().startsWith(collector.url) && resolve()))
    await page.click('#add')
    await failed
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    expect(await spilled(page)).toEqual({ keys: 0, chars: 0 })
    await collector.start()
    await collector.waitFor((d) => seqsOf(d, session).has(2))
  })

  it('removes a stored value it cannot read, and still sends the others', async () => {
    const page = await suite.openApp({ http: collector.url, flush: 50, retries: 1000, retryDelay: 20, maxRetryDelay: 200 })
    const { session } = await reloadDuringOutage(page, async () => {
      for (let i = 0; i < 3; i++) await page.click('#add')
    })
    // The server still down: a damaged value under httpSink's prefix for this url, then another reload.
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('redux-flight-recorder:http '))!
      const prefix = key.slice(0, key.lastIndexOf(' ') + 1)
      localStorage.setItem(prefix + 'a-damaged-one', '{not json')
      localStorage.setItem(prefix + 'z-damaged-one', '[[1,2]]')
    })
    await page.reload()
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('redux-flight-recorder:http ')))
    expect(keys.filter((k) => k.endsWith('damaged-one'))).toEqual([])
    await collector.start()
    const next = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.click('#add')
    await collector.waitFor((d) => seqsOf(d, next).has(1))
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks === 0)
    const recording = parseRecording(assembleLog(collector.deliveries, session).text)
    expect(recording.entries.filter(isActionEntry)).toHaveLength(4)
    expect(recording.warnings).toEqual([])
  })
  it('sends no spill older than 7 days: a page of the url removes it unsent', async () => {
    const query = { http: collector.url, flush: 50, retries: 1000, retryDelay: 20, maxRetryDelay: 200 }
    const page = await suite.openApp(query)
    const { session } = await reloadDuringOutage(page, async () => {
      for (let i = 0; i < 3; i++) await page.click('#add')
    })
    // The user leaves (the server still down), and comes back 8 days later.
    const context = page.context()
    await page.close({ runBeforeUnload: true })
    const aged = await suite.openApp({}, context) // (a page of the origin without the sink)
    const keys = await aged.evaluate(() => {
      const ours = Object.keys(localStorage).filter((k) => k.startsWith('redux-flight-recorder:http '))
      for (const k of ours) {
        // (The value: [written at, ...chunks].)
        const value = JSON.parse(localStorage.getItem(k)!) as unknown[]
        if (typeof value[0] === 'number') value[0] = Date.now() - 8 * 864e5
        localStorage.setItem(k, JSON.stringify(value))
      }
      return ours.map((k) => k.slice(k.lastIndexOf(' ') + 1))
    })
    expect(keys).toContain(session)
    await collector.start()
    const back = await suite.openApp(query, context)
    const next = await back.evaluate(() => (window as any).app.recorder.session as string)
    await back.click('#add')
    await collector.waitFor((d) => seqsOf(d, next).has(1))
    await back.waitForFunction(() => (window as any).app.sinks[0].pending().chunks === 0)
    expect((await spilled(back)).keys).toBe(0)
    // Of the first session, only what arrived before the outage.
    expect([...seqsOf(collector.deliveries, session)].filter((n) => n > 0)).toEqual([1])
  })
})
