import type { Page } from 'playwright-core'
import { type Recording } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { indexedDbSink, loadFromIndexedDb, type StoredSession } from 'redux-flight-recorder/browser'
import { describe, expect, it } from 'vitest'
import { rootReducer } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { setupBrowserSuite } from './suite'

type Stored = Omit<StoredSession, 'recording'> & { recording: Recording }

const load = (page: Page, name: string): Promise<Stored[]> =>
  page.evaluate((n) => (window as any).app.loadFromIndexedDb(n), name)
const session = (page: Page): Promise<string> => page.evaluate(() => (window as any).app.recorder.session)
const state = (page: Page): Promise<unknown> => page.evaluate(() => (window as any).app.store.getState())
const flush = (page: Page): Promise<void> => page.evaluate(() => (window as any).app.recorder.flush())
const actionKinds = (r: Recording) => r.entries.filter(isActionEntry).map((e) => e.kind)

describeInChromium('indexedDbSink (Chromium)', () => {
  const suite = setupBrowserSuite()

  it('keeps the session across a reload: loadFromIndexedDb returns it intact and it replays', async () => {
    // No interval flush: what is stored was flushed explicitly, or by the sink on page hide.
    const page = await suite.openApp({ idb: 'reload', flush: 600_000 })
    const first = await session(page)
    for (let i = 0; i < 4; i++) await page.click('#add')
    await page.click('#toggle')
    await flush(page)
    // Dispatched after the last flush: stored by the sink's own pagehide flush during the reload.
    await page.click('#add')
    await page.click('#toggle')
    const before = await state(page)

    await page.reload()
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    expect(await session(page)).not.toBe(first)

    const sessions = await load(page, 'reload')
    const previous = sessions.find((s) => s.session === first)!
    expect(previous).toMatchObject({ closed: false, endedBy: 'pagehide', lastSeq: 7 })
    expect(actionKinds(previous.recording)).toEqual([...Array(4).fill('todos/added'), 'todos/toggled', 'todos/added', 'todos/toggled'])
    expect(previous.recording.warnings).toEqual([expect.stringMatching(/did not close; the page was hidden or left after seq 7/)])
    const result = replay(previous.recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 7 })
    expect(result.state).toEqual(before)
  })

  it('bounds what a crash loses to the lines since the last flush, and marks the session as not closed', async () => {
    const page = await suite.openApp({ idb: 'crash', flush: 600_000 })
    const crashed = await session(page)
    for (let i = 0; i < 3; i++) await page.click('#add')
    await flush(page)
    const flushedState = await state(page)
    // The unflushed tail: no flush and no page hide will run for these.
    await page.click('#add')
    await page.click('#toggle')

    const cdp = await page.context().newCDPSession(page)
    const gone = page.waitForEvent('crash')
    void cdp.send('Page.crash').catch(() => {})
    await gone

    const next = await suite.openApp({ idb: 'crash' }, page.context())
    const stored = (await load(next, 'crash')).find((s) => s.session === crashed)!
    expect(stored).toMatchObject({ closed: false, endedBy: null, lastSeq: 3 })
    expect(stored.recording.end).toBeUndefined()
    expect(stored.recording.warnings).toEqual([expect.stringMatching(/did not close \(no @@end\).*after seq 3 is missing/)])
    // Exactly the flushed part survived, and it is a valid log on its own.
    expect(actionKinds(stored.recording)).toEqual(['todos/added', 'todos/added', 'todos/added'])
    const result = replay(stored.recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 3 })
    expect(result.state).toEqual(flushedState)
  })

  it('marks a session closed by recorder.close(): the log ends with @@end', async () => {
    const page = await suite.openApp({ idb: 'close' })
    await page.click('#add')
    await page.click('#add')
    await page.evaluate(() => (window as any).app.recorder.close())
    const [stored] = await load(page, 'close')
    expect(stored).toMatchObject({ closed: true, endedBy: 'close' })
    expect(stored.recording.warnings).toEqual([])
    expect(stored.recording.end).toMatchObject({ count: 2, dropped: 0 })
    expect(replay(stored.recording, { reducer: rootReducer })).toMatchObject({ ok: true, steps: 2 })
  })

  it('prunes the oldest sessions beyond maxSessions', async () => {
    const page = await suite.openApp({ idb: 'prune', maxSessions: 2 })
    const seen: string[] = []
    for (let i = 0; i < 4; i++) {
      if (i > 0) {
        await page.reload()
        await page.waitForFunction(() => document.title.endsWith('(ready)'))
      }
      seen.push(await session(page))
      await page.click('#add')
      await flush(page)
    }
    const sessions = await load(page, 'prune')
    expect(sessions.map((s) => s.session)).toEqual([seen[3], seen[2]])
  })

  it('keeps the newest part of a session larger than maxSessionBytes, and that part replays on its own', async () => {
    const page = await suite.openApp({ idb: 'segments', maxSessionBytes: 8192, flush: 600_000 })
    for (let i = 0; i < 3; i++) await page.click('#add')
    // Toggles keep the state small, so the header of each new segment is small next to the budget.
    for (let i = 0; i < 40; i++) {
      await page.evaluate(() => {
        const { app } = window as any
        for (const id of app.store.getState().todos.ids) app.store.dispatch(app.actions.toggled(id))
        app.store.dispatch(app.actions.audited())
      })
      await flush(page)
    }
    const [stored] = await load(page, 'segments')
    expect(stored.bytes).toBeLessThanOrEqual(8192)
    expect(stored.recording.header.from_seq).toBeGreaterThan(1)
    expect(stored.lastSeq).toBe(163)
    const result = replay(stored.recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true })
    expect(result.steps).toBe(163 - stored.recording.header.from_seq + 1)
    expect(result.state).toEqual(await state(page))
  })
})

describe('indexedDbSink', () => {
  it('validates its options', () => {
    expect(() => indexedDbSink({} as never)).toThrow(/Expected indexedDbSink\(\{ name \}\) with a non-empty string `name`/)
    expect(() => indexedDbSink({ name: 'x', maxSessions: 0 })).toThrow(/`maxSessions` to be a positive integer/)
  })

  it('can be created without IndexedDB (SSR) and reports, once, that it cannot store', async () => {
    const sink = indexedDbSink({ name: 'ssr' })
    const ctx = { session: 's', header: () => '', checkpoint() {}, reportDropped() {}, drain: () => [] }
    sink.attach!(ctx, undefined as never)
    await expect(sink.ready()).rejects.toThrow(/IndexedDB is not available here/)
    await expect(sink.write(['{"kind":"@@session"}'], ctx)).rejects.toThrow(/IndexedDB is not available here/)
    await expect(sink.write(['{"seq":1}'], ctx)).resolves.toBeUndefined()
  })
})

describe('loadFromIndexedDb', () => {
  it('rejects without IndexedDB', async () => {
    await expect(loadFromIndexedDb('x')).rejects.toThrow(/IndexedDB is not available here/)
  })
})
