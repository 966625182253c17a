import type { Page } from 'playwright-core'
import { type Recording } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, replay } from 'redux-flight-recorder/replay'
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

  it('does not say everything was stored when a session left by page hide has a gap (what was pending did not all reach the store)', async () => {
    const page = await suite.openApp({ idb: 'gap', flush: 600_000 })
    const first = await session(page)
    // Three flushes: three chunks after the header's.
    for (let k = 0; k < 3; k++) {
      await page.click('#add')
      await page.click('#toggle')
      await flush(page)
    }
    await page.reload()
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    // The middle chunk goes, as a write lost at page hide would leave the session.
    await page.evaluate(
      ([db, id]) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(db)
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const tx = open.result.transaction('chunks', 'readwrite')
            const store = tx.objectStore('chunks')
            const all = store.getAll()
            all.onsuccess = () => {
              const mine = (all.result as Array<{ session: string; n: number }>).filter((c) => c.session === id).sort((a, b) => a.n - b.n)
              store.delete([id, mine[Math.floor(mine.length / 2)].n])
            }
            tx.oncomplete = () => (open.result.close(), resolve())
            tx.onerror = () => reject(tx.error)
          }
        }),
      ['redux-flight-recorder:gap', first],
    )
    const previous = (await load(page, 'gap')).find((s) => s.session === first)!
    expect(previous).toMatchObject({ closed: false, endedBy: 'pagehide' })
    const warnings = previous.recording.warnings.join('\n')
    expect(warnings).toMatch(/are missing|is missing/)
    expect(warnings).toContain('entries before it are missing (above)')
    expect(warnings).not.toContain('everything up to then was stored')
  })

  it('lists the session recording now from the moment it registers, before its first flush, and reads on through its first write', async () => {
    const page = await suite.openApp({ idb: 'early', flush: 600_000 })
    const current = await session(page)
    const initial = await state(page)
    // Registering opens the database: a few tasks after the page starts.
    let listed: Stored | undefined
    for (let i = 0; i < 100 && !listed; i++) [listed] = await load(page, 'early')
    if (!listed) throw new Error('the session was never listed')
    expect(listed).toMatchObject({ session: current, closed: false, lastSeq: 0 })
    expect(listed.recording.header.state).toEqual(initial)
    expect(listed.recording.entries).toEqual([])
    for (let i = 0; i < 2; i++) await page.click('#add')
    await flush(page)
    await page.click('#toggle')
    await flush(page)
    const [stored] = await load(page, 'early')
    expect(stored.session).toBe(current)
    expect(stored.recording.header.from_seq).toBe(1)
    expect(actionKinds(stored.recording)).toEqual(['todos/added', 'todos/added', 'todos/toggled'])
    const result = replay(stored.recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, steps: 3 })
    expect(result.checked).toBeGreaterThanOrEqual(3)
    expect(result.state).toEqual(await state(page))
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
    // Every stored step is checked; the session as a whole is not (its end is missing).
    expect(result).toMatchObject({ ok: true, verified: false, steps: 3 })
    expect(result.checked).toBeGreaterThanOrEqual(3)
    expect(result.warnings).toEqual(stored.recording.warnings)
    expect(result.state).toEqual(flushedState)
  })

  it('gives up opening a database that never answers (Safari\'s first-open hang): one fault naming it, loadFromIndexedDb rejects, close() does not wait again', async () => {
    // (Acceptance, helper-163: nothing was reported, flush() and close() each waited sinkTimeoutMs, loadFromIndexedDb never settled.)
    const context = await suite.browser.newContext()
    try {
      await context.addInitScript(`IDBFactory.prototype.open = function () { const r = new EventTarget(); r.readyState = 'pending'; return r }`)
      const page = await suite.openApp({ idb: 'never', flush: 600_000 }, context)
      const said: string[] = []
      page.on('console', (m) => said.push(m.text()))
      // (A bound on how long this test waits for an answer; the sink's own is 5 s.)
      const settled = (what: string) => page.evaluate((w) => Promise.race([(window as any).app[w]().then(() => 'settled', (e: Error) => e.message), new Promise((r) => setTimeout(() => r('no answer'), 9000))]), what)
      await page.evaluate(() => Object.assign((window as any).app, { ready: () => (window as any).app.sinks[0].ready(), load: () => (window as any).app.loadFromIndexedDb('never') }))
      expect(await settled('ready')).toBe('[redux-flight-recorder] IndexedDB did not open within 5 s; the session is not stored.')
      for (let i = 0; i < 3; i++) await page.click('#add')
      await flush(page)
      expect(await page.evaluate(() => (window as any).app.recorder.stats().sinkErrors)).toBe(1)
      expect(said).toContainEqual(expect.stringContaining('IndexedDB did not open within 5 s; the session is not stored.'))
      expect(await settled('load')).toBe('[redux-flight-recorder] IndexedDB did not open within 5 s; nothing can be loaded.')
      await page.click('#add')
      await page.evaluate(() => (window as any).app.recorder.close())
      // Not waited for again (sinkTimeoutMs would have said "did not close within"), and said once.
      expect(said.join('\n')).not.toMatch(/within 10000 ms/)
      expect(await page.evaluate(() => (window as any).app.recorder.stats().sinkErrors)).toBe(1)
    } finally {
      await context.close()
    }
  }, 60_000)

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

  it('does not prune a session another tab is still recording (written in the last 5 minutes), and prunes one not written for longer', async () => {
    const a = await suite.openApp({ idb: 'live', maxSessions: 2, flush: 600_000 })
    const aSession = await session(a)
    await a.click('#add')
    await flush(a)
    // A session whose page crashed 6 minutes ago: never closed, not written since (its log: a copy of A's).
    await a.evaluate(
      (copied) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('redux-flight-recorder:live')
          open.onsuccess = () => {
            const tx = open.result.transaction(['sessions', 'chunks'], 'readwrite')
            const now = Date.now()
            tx.objectStore('sessions').put({ session: 'crashed', startedAt: now - 3_600_000, updatedAt: now - 360_000, closed: false, endedBy: null, bytes: 0, lastSeq: 0, nextChunk: 1 })
            const chunk = tx.objectStore('chunks').get([copied, 0])
            chunk.onsuccess = () => tx.objectStore('chunks').put({ ...chunk.result, session: 'crashed' })
            tx.oncomplete = () => (open.result.close(), resolve())
            tx.onerror = () => reject(tx.error)
          }
        }),
      aSession,
    )
    expect((await load(a, 'live')).map((s) => s.session)).toEqual([aSession, 'crashed'])
    // Tab B starts, and reloads: with maxSessions 2, tab A's session is the oldest but one.
    // (Tab A's live session takes no place: B's session before the reload is kept too, three in all.)
    const b = await suite.openApp({ idb: 'live', maxSessions: 2, flush: 600_000 }, a.context())
    const b1 = await session(b)
    await b.click('#add')
    await flush(b)
    await b.reload()
    await b.waitForFunction(() => document.title.endsWith('(ready)'))
    const b2 = await session(b)
    await b.click('#add')
    await flush(b)
    // Tab A records on.
    await a.click('#add')
    await a.click('#toggle')
    await flush(a)
    const all = await a.evaluate(async () => {
      const unreadable: string[] = []
      const sessions = await (window as any).app.loadFromIndexedDb('live', { onUnreadable: (e: Error) => unreadable.push(e.message) })
      return { sessions, unreadable }
    }) as { sessions: Stored[]; unreadable: string[] }
    expect(all.unreadable).toEqual([])
    expect(all.sessions.map((s) => s.session)).toEqual([b2, b1, aSession])
    const mine = all.sessions.find((s) => s.session === aSession)!
    expect(actionKinds(mine.recording)).toEqual(['todos/added', 'todos/added', 'todos/toggled'])
    expect(replay(mine.recording, { reducer: rootReducer })).toMatchObject({ ok: true, steps: 3 })
    expect(await a.evaluate(() => (window as any).app.recorder.stats().sinkErrors)).toBe(0)
  })

  it('stops writing a session deleted while it records (no header-less log made again), and says so once through the recorder', async () => {
    const page = await suite.openApp({ idb: 'deleted', flush: 600_000 })
    const warnings: string[] = []
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()))
    const id = await session(page)
    await page.click('#add')
    await flush(page)
    // Another tab's pruning, or the panel's Delete, removes it.
    expect(await page.evaluate((s) => (window as any).app.deleteFromIndexedDb('deleted', s), id)).toBe(true)
    await page.click('#add')
    await flush(page)
    await page.click('#toggle')
    await flush(page)
    await page.evaluate(() => (window as any).app.recorder.close())
    expect(await load(page, 'deleted')).toEqual([])
    const stored = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('redux-flight-recorder:deleted')
          open.onsuccess = () => {
            const count = open.result.transaction('sessions').objectStore('sessions').count()
            count.onsuccess = () => (open.result.close(), resolve(count.result))
          }
        }),
    )
    expect(stored).toBe(0)
    expect(await page.evaluate(() => (window as any).app.recorder.stats().sinkErrors)).toBe(1)
    expect(warnings.filter((w) => w.includes('was deleted from IndexedDB'))).toEqual([
      `[redux-flight-recorder] sink failed: The session ${id} was deleted from IndexedDB while recording (by deleteFromIndexedDb, or another tab's maxSessions); it is no longer stored.`,
    ])
  })

  it('loadFromIndexedDb leaves out a session it cannot read (no header; a Blob stored without its contents) and reads the others, saying why through onUnreadable', async () => {
    const page = await suite.openApp({ idb: 'unreadable', flush: 600_000 })
    const id = await session(page)
    await page.click('#add')
    await flush(page)
    const result = await page.evaluate(async () => {
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('redux-flight-recorder:unreadable')
        open.onsuccess = () => {
          const tx = open.result.transaction(['sessions', 'chunks'], 'readwrite')
          const now = Date.now()
          const record = { startedAt: now - 1000, updatedAt: now - 1000, closed: false, endedBy: null, bytes: 100, lastSeq: 3, nextChunk: 2 }
          tx.objectStore('sessions').put({ session: 'headerless', ...record })
          tx.objectStore('chunks').put({ session: 'headerless', n: 1, header: false, bytes: 100, text: '{"seq":3,"ts":"2026-12-04T00:00:00.000Z","t":1,"turn":null,"kind":"todos/toggled","action":{"type":"todos/toggled","payload":"a"}}\n' })
          tx.objectStore('sessions').put({ session: 'emptied-blob', ...record })
          tx.objectStore('chunks').put({ session: 'emptied-blob', n: 0, header: true, bytes: 100, text: {} })
          tx.oncomplete = () => (open.result.close(), resolve())
          tx.onerror = () => reject(tx.error)
        }
      })
      const unreadable: Array<[string, string]> = []
      const sessions = await (window as any).app.loadFromIndexedDb('unreadable', { onUnreadable: (e: Error, s: string) => unreadable.push([s, e.message]) })
      return { sessions: sessions.map((s: StoredSession) => s.session), unreadable: unreadable.sort() }
    })
    expect(result.sessions).toEqual([id])
    expect(result.unreadable.map(([s]) => s)).toEqual(['emptied-blob', 'headerless'])
    expect(result.unreadable[0][1]).toMatch(/^\[redux-flight-recorder\] The stored session emptied-blob cannot be read: its chunk 0 is neither text nor a Blob/)
    expect(result.unreadable[1][1]).toMatch(/^\[redux-flight-recorder\] The stored session headerless cannot be read: /)
  })

  it("lists a session's lastSeq and bytes as its chunks hold them, not as its record counted (a failed write's lines counted by a later one's record)", async () => {
    // (With IndexedDB's quota full, a session storing ~65 lines was listed with 4.9 MB and the last seq of 20,000 actions.)
    const page = await suite.openApp({ idb: 'counted', flush: 600_000 })
    const id = await session(page)
    for (let i = 0; i < 3; i++) await page.click('#add')
    await flush(page)
    const truth = (await load(page, 'counted')).find((s) => s.session === id)!
    expect(truth.lastSeq).toBeGreaterThan(2)
    await page.evaluate(
      (sid) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('redux-flight-recorder:counted')
          open.onsuccess = () => {
            const tx = open.result.transaction(['sessions'], 'readwrite')
            const get = tx.objectStore('sessions').get(sid)
            get.onsuccess = () => tx.objectStore('sessions').put({ ...get.result, bytes: 4_949_045, lastSeq: 20_015 })
            tx.oncomplete = () => (open.result.close(), resolve())
            tx.onerror = () => reject(tx.error)
          }
        }),
      id,
    )
    const listed = (await load(page, 'counted')).find((s) => s.session === id)!
    expect(listed.lastSeq).toBe(truth.lastSeq)
    expect(listed.bytes).toBe(truth.bytes)
    // (The JSONL of its chunks: a segment's header counts, though the log read from them drops it.)
    expect(listed.bytes).toBeGreaterThanOrEqual(new TextEncoder().encode(encodeRecording(listed.recording)).length)
    expect(listed.bytes).toBeLessThan(100_000)
  })

  it('names failed writes (a full quota), not the page leave, for the entries a stored session misses', async () => {
    // (Acceptance, session 25: with the quota full, the stored session blamed the page leave for writes that failed all along.)
    // An origin no other test stores in (the app's server as `localhost`: Chromium counts an origin's
    // usage across this file's contexts, and keeps the quota it first used), its quota set before it
    // stores anything and mostly taken by another database (random text: IndexedDB compresses its
    // values), which is deleted later.
    const at = (query: Record<string, string | number>) => {
      const url = new URL(suite.appUrl(query))
      url.hostname = 'localhost'
      return url.href
    }
    const ctx = (await suite.openApp({})).context()
    const other = await ctx.newPage()
    const cdp = await ctx.newCDPSession(other)
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(at({})).origin, quotaSize: 2_000_000 })
    await other.goto(at({}))
    await other.waitForFunction(() => document.title.endsWith('(ready)'))
    const page = await ctx.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(at({ idb: 'quota', flush: 600_000, sinkQueueBytes: 16_384 }))
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    const id = await session(page)
    await page.click('#add')
    await flush(page)
    // The quota filled by another database, in parts of 64 KB and then 4 KB until IndexedDB refuses
    // one, so that less than 4 KB is left whatever Chromium counts besides the values (its accounting
    // is not the values' bytes: a fixed 1.5 MB filler was refused now and then). Random text:
    // IndexedDB compresses its values.
    const filled = await other.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const o = indexedDB.open('filler')
        o.onupgradeneeded = () => o.result.createObjectStore('s')
        o.onsuccess = () => res(o.result)
        o.onerror = () => rej(o.error)
      })
      const random = (n: number) => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('')
      const put = (key: number, n: number) =>
        new Promise<boolean>((res, rej) => {
          const tx = db.transaction('s', 'readwrite')
          tx.objectStore('s').put(random(n), key)
          tx.oncomplete = () => res(true)
          tx.onabort = () => (tx.error?.name === 'QuotaExceededError' ? res(false) : rej(tx.error))
        })
      let key = 0
      let bytes = 0
      for (const size of [65_536, 4096]) {
        while (key < 1000 && (await put(++key, size))) bytes += size
      }
      db.close()
      return { bytes, refusedAt: key }
    })
    expect(filled.refusedAt).toBeLessThan(1000)
    // Past the quota: the writes fail, and the queue keeps 16 KB of lines, dropping the oldest.
    await page.evaluate(`(() => {
      const { app } = window
      const random = () => Array.from({ length: 3000 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('')
      for (let i = 0; i < 300; i++) app.store.dispatch(app.actions.added({ id: 'q' + i, title: random(), done: false }))
    })()`)
    await flush(page)
    expect(await page.evaluate(() => (window as any).app.recorder.stats().sinkErrors)).toBeGreaterThan(0)
    await other.evaluate(() => new Promise((res) => { const d = indexedDB.deleteDatabase('filler'); d.onsuccess = d.onerror = d.onblocked = res }))
    // Chromium frees a deleted database's space a while after: an action per flush until one is
    // stored (the sink's own retry at each flush, as in an app), at most 50.
    const failedBefore = async () => (await page.evaluate(() => (window as any).app.recorder.stats().sinkErrors)) as number
    for (let i = 0, before = await failedBefore(); i < 50; i++, before = await failedBefore()) {
      await page.click('#add')
      await flush(page)
      if ((await failedBefore()) === before) break
    }
    await page.reload()
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    const stored = (await load(page, 'quota')).find((s) => s.session === id)!
    expect(stored.endedBy).toBe('pagehide')
    const warnings = stored.recording.warnings
    expect(warnings).toContainEqual(expect.stringMatching(/^(A write|\d+ writes) to IndexedDB failed while recording \(QuotaExceededError: the storage quota was full\): the entries missing \(above\) were lost there\.$/))
    expect(warnings.join('\n')).not.toContain('what was pending when the page was left')
    expect(errors).toEqual([])
    // (The app's last action, after the space came back, was stored.)
    const last = stored.recording.entries.filter(isActionEntry).at(-1)!
    expect(last.action).toMatchObject({ type: 'todos/added', payload: { id: expect.stringMatching(/^todo-/) } })
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
    // Each step of that part is checked, with no gap; the session is still open, which the log says.
    expect(result.ok).toBe(true)
    expect(result.warnings).toEqual([expect.stringMatching(/^The session did not close/)])
    expect(result.steps).toBe(163 - stored.recording.header.from_seq + 1)
    expect(result.checked).toBeGreaterThanOrEqual(result.steps)
    expect(result.state).toEqual(await state(page))
  })

  it('with a state over half of maxSessionBytes, does not start a segment (storing the whole state again) at every flush', async () => {
    // The rotation counted the segment's header: with a 10 MB state under the 16 MiB default, every
    // flush stored a new header with the whole state (each second), and kept only the last few actions.
    const page = await suite.openApp({ idb: 'bigstate', maxSessionBytes: 8192, flush: 600_000 })
    await page.evaluate(() => {
      const { app } = window as any
      app.store.dispatch(app.actions.added({ id: 'big', title: 'x'.repeat(5000), done: false }))
    })
    await flush(page)
    for (let i = 0; i < 8; i++) {
      await page.evaluate(() => {
        const { app } = window as any
        app.store.dispatch(app.actions.toggled('big'))
      })
      await flush(page)
    }
    const [stored] = await load(page, 'bigstate')
    // The action that brought the state is over half the budget itself: one new segment after it
    // (from seq 2), and none at the toggles' flushes (each of which started one).
    expect(stored.recording.header.from_seq).toBe(2)
    expect(stored.lastSeq).toBe(9)
    const result = replay(stored.recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, steps: 8 })
    expect(result.state).toEqual(await state(page))
  })
})

describeInChromium('indexedDbSink: large states (Chromium)', () => {
  const suite = setupBrowserSuite()
  /** What the chunk store holds for `name`: per chunk, its n and whether its text is a Blob or a string. */
  const rawChunks = (page: Page, name: string) =>
    page.evaluate(
      (n) =>
        new Promise<{ n: number; kind: string; text: string }[]>((resolve, reject) => {
          const open = indexedDB.open('redux-flight-recorder:' + n)
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const all = open.result.transaction('chunks').objectStore('chunks').getAll()
            all.onsuccess = async () => {
              const out = []
              for (const c of all.result) out.push({ n: c.n, kind: c.text instanceof Blob ? 'blob' : 'string', text: typeof c.text === 'string' ? c.text : await c.text.text() })
              open.result.close()
              resolve(out)
            }
          }
        }),
      name,
    )

  it('stores no early header for a large initial state: its first write stores it once, as a Blob made in slices', async () => {
    const page = await suite.openApp({ idb: 'big-early', flush: 600_000, preload: 20_000 })
    const current = await session(page)
    // Long enough for the recorder's JSON of the state (made in slices) and the database to be
    // ready; then the first write: the header and one action.
    await page.evaluate(() => (window as any).app.recorder.flush())
    await page.click('#add')
    await page.evaluate(() => (window as any).app.recorder.flush())
    // Read in the page: the whole recording (the header's 20 000 todos) sent back to the test took
    // ~5 s, more than the rest of the test's reading together, and timed it out on a loaded machine.
    const listed = await page.evaluate(async (n) => {
      const [s] = (await (window as any).app.loadFromIndexedDb(n)) as Stored[]
      return { session: s.session, ids: (s.recording.header.state as { todos: { ids: string[] } }).todos.ids.length, kinds: s.recording.entries.map((e) => e.kind) }
    }, 'big-early')
    expect(listed.session).toBe(current)
    expect(listed.ids).toBe(20_000)
    expect(listed.kinds).toEqual(['todos/added'])
    const chunks = await rawChunks(page, 'big-early')
    // One chunk: the header was stored once, by the flush, not also when the session registered.
    expect(chunks.map((c) => [c.n, c.kind])).toEqual([[0, 'blob']])
    expect(chunks[0].text.length).toBeGreaterThan(4_000_000)

    // A map of 300 todos (~75 KB of JSON, written in parts): small enough to be listed early.
    const medium = await suite.openApp({ idb: 'medium-early', flush: 600_000, preload: 300 })
    let early: Stored | undefined
    for (let i = 0; i < 200 && !early; i++) {
      ;[early] = await load(medium, 'medium-early')
      if (!early) await new Promise((r) => setTimeout(r, 25))
    }
    expect(early?.session).toBe(await session(medium))
    expect(early!.recording.entries).toEqual([])
  })

  it('stores a write with a large state as a Blob made from its parts, and loadFromIndexedDb reads it back: the log replays', async () => {
    const page = await suite.openApp({ idb: 'parts', flush: 600_000, checkpointEvery: 3 })
    const id = await session(page)
    await page.click('#add')
    await flush(page)
    await page.evaluate(() => (window as any).app.store.dispatch((window as any).app.actions.syncTodos(2500)))
    for (let i = 0; i < 4; i++) await page.click('#toggle')
    await flush(page)
    await page.click('#add')
    await page.evaluate(() => (window as any).app.recorder.close())
    const chunks = await rawChunks(page, 'parts')
    // The header stored when the session registered, and the first flush (the header again, one
    // action): strings; the flush with checkpoints after the sync, and the one with @@end: Blobs.
    expect(chunks.map((c) => c.kind)).toEqual(['string', 'string', 'blob', 'blob'])
    expect(chunks[2].text).toMatch(/"kind":"@@checkpoint"/)
    const stored = (await load(page, 'parts')).find((s) => s.session === id)!
    expect(stored.closed).toBe(true)
    expect(stored.recording.warnings).toEqual([])
    const result = replay(stored.recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 8 })
    expect(result.state).toEqual(await state(page))
  })

  it("starts a new segment with a header whose state the recorder wrote in slices, and takes a header's bytes from its Blob", async () => {
    // The header of a new segment (the state before the write's lines, never written before) was
    // written on the spot, in the write: for 10 MB in Chromium, 45-70 ms in one task. And each
    // header stored was scanned for its UTF-8 bytes as the commit went: 40-70 ms more.
    const page = await suite.openApp({ idb: 'rotate-big', maxSessionBytes: 8192, flush: 600_000, preload: 2000 })
    const id = await session(page)
    await page.evaluate(() => {
      const w = window as any
      w.seen = { keysInHeader: 0, scansInCommit: 0 }
      const keys = Object.keys
      const search = String.prototype.search
      // (Where from: the stack's function names, in the unminified bundle.)
      const from = (name: RegExp) => {
        const limit = Error.stackTraceLimit
        Error.stackTraceLimit = 100
        const stack = new Error().stack ?? ''
        Error.stackTraceLimit = limit
        return name.test(stack)
      }
      Object.keys = ((o: object) => {
        const k = keys(o)
        if (k.length >= 2000 && from(/headerOf/)) w.seen.keysInHeader++
        return k
      }) as typeof Object.keys
      String.prototype.search = function (this: string, re: any) {
        if (this.length > 10_000 && from(/\bcommit\b/)) w.seen.scansInCommit++
        return search.call(this, re)
      }
    })
    // The header (2,000 todos: a state in parts), then lines past half of the budget; then a write
    // that starts a new segment.
    await page.evaluate(() => {
      const { app } = window as any
      for (let i = 0; i < 40; i++) app.store.dispatch(app.actions.added({ id: `n${i}`, title: `new ${i}`, done: false }))
    })
    await flush(page)
    await page.click('#toggle')
    await flush(page)
    const seen = await page.evaluate(() => (window as any).seen)
    expect(seen).toEqual({ keysInHeader: 0, scansInCommit: 0 })
    const stored = (await load(page, 'rotate-big')).find((s) => s.session === id)!
    // The log is the new segment: its header is the state before the toggle (seq 41).
    expect(stored.recording.header.from_seq).toBe(41)
    expect((stored.recording.header.state as { todos: { ids: string[] } }).todos.ids).toHaveLength(2040)
    const result = replay(stored.recording, { reducer: rootReducer })
    // (Its step checked against the hash; the session is still open, which the log says.)
    expect(result).toMatchObject({ ok: true, steps: 1, checked: 1 })
    expect(result.state).toEqual(await state(page))
  })

  it('counts a write stored as a Blob in UTF-8 bytes, as its text holds them (non-ASCII, surrogate pairs, lone surrogates)', async () => {
    // (The bytes of such a write are its Blob's size, not a scan of the state's text: both must agree.)
    const page = await suite.openApp({ flush: 600_000 })
    const result = await page.evaluate(async () => {
      const { indexedDbSink } = (window as any).app
      const sink = indexedDbSink({ name: 'blob-bytes' })
      const ctx = { session: 'S', header: () => '{"kind":"@@session","v":1}', checkpoint() {}, reportDropped() {}, drain: () => [] }
      sink.attach(ctx, undefined)
      await sink.ready()
      const parts = ['{"seq":1,"state":{"a":', JSON.stringify('é€😀'.repeat(200_000) + '\ud800x'), ',"b":"\udc00"}}']
      const lines = ['{"kind":"@@session","v":1}', 'not these bytes', '{"seq":2,"note":"ü"}']
      Object.defineProperty(lines, Symbol.for('redux-flight-recorder.lineParts.1'), { value: new Map([[1, parts]]) })
      await sink.write(lines, ctx)
      await sink.write(['{"seq":3,"note":"€"}'], ctx)
      const text = ['{"kind":"@@session","v":1}', parts.join(''), '{"seq":2,"note":"ü"}'].join('\n') + '\n'
      const read = (store: string) =>
        new Promise<any[]>((resolve, reject) => {
          const open = indexedDB.open('redux-flight-recorder:blob-bytes')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const all = open.result.transaction(store).objectStore(store).getAll()
            all.onsuccess = () => (open.result.close(), resolve(all.result))
          }
        })
      const chunks = await read('chunks')
      const sessions = await read('sessions')
      return {
        chunks: chunks.map((c) => ({ n: c.n, blob: c.text instanceof Blob, bytes: c.bytes, size: new Blob([c.text]).size })),
        expected: [new TextEncoder().encode(text).length, new TextEncoder().encode('{"seq":3,"note":"€"}\n').length],
        recorded: sessions.find((r) => r.session === 'S').bytes,
      }
    })
    // Chunk 0: the header stored when the session registered; 1: the write with the state, a Blob.
    expect(result.chunks.map((c) => [c.n, c.blob])).toEqual([
      [0, false],
      [1, true],
      [2, false],
    ])
    expect(result.chunks.slice(1).map((c) => c.bytes)).toEqual(result.expected)
    for (const c of result.chunks) expect(c.bytes).toBe(c.size)
    expect(result.recorded).toBe(result.chunks.reduce((n, c) => n + c.bytes, 0))
  })

  it('a synchronous write (page hide) while a large state becomes a Blob stores those lines first, as text, in order', async () => {
    const page = await suite.openApp({ flush: 600_000 })
    const chunks = await page.evaluate(async () => {
      const { indexedDbSink } = (window as any).app
      const sink = indexedDbSink({ name: 'hide-parts' })
      const ctx = { session: 'S', header: () => '{"kind":"@@session","v":1}', checkpoint() {}, reportDropped() {}, drain: () => [] }
      sink.attach(ctx, undefined)
      await sink.ready()
      const parts = ['{"seq":1,"state":{"a":', JSON.stringify('x'.repeat(3_000_000)), '}}']
      // The line's text says something else: the stored bytes show which of the two was written.
      const lines = ['{"kind":"@@session","v":1}', 'not these bytes', '{"seq":2}']
      Object.defineProperty(lines, Symbol.for('redux-flight-recorder.lineParts.1'), { value: new Map([[1, parts]]) })
      const writing = sink.write(lines, ctx)
      sink.writeSync(['{"seq":3}'], ctx)
      await writing
      sink.write(['{"seq":4}'], ctx)
      await new Promise((r) => setTimeout(r, 50))
      return { expected: ['{"kind":"@@session","v":1}', parts.join(''), '{"seq":2}'].join('\n') + '\n' }
    })
    const stored = await rawChunks(page, 'hide-parts')
    // Chunk 0: the header, stored when the session registered.
    expect(stored.map((c) => [c.n, c.kind])).toEqual([
      [0, 'string'],
      [1, 'string'],
      [2, 'string'],
      [3, 'string'],
    ])
    expect(stored[0].text).toBe('{"kind":"@@session","v":1}\n')
    expect(stored[1].text === chunks.expected).toBe(true)
    expect(stored.slice(2).map((c) => c.text)).toEqual(['{"seq":3}\n', '{"seq":4}\n'])
  })

  it('close() while a write still makes its Blob (the recorder stopped waiting: sinkTimeoutMs) stores its lines before the record says closed', async () => {
    const page = await suite.openApp({ flush: 600_000 })
    const result = await page.evaluate(async () => {
      const { indexedDbSink } = (window as any).app
      const sink = indexedDbSink({ name: 'close-building' })
      const ctx = { session: 'S', header: () => '{"kind":"@@session","v":1}', checkpoint() {}, reportDropped() {}, drain: () => [] }
      sink.attach(ctx, undefined)
      await sink.ready()
      const parts = ['{"seq":1,"state":{"a":', JSON.stringify('x'.repeat(3_000_000)), '}}']
      const lines = ['{"kind":"@@session","v":1}', 'not these bytes', '{"kind":"@@end","seq":2}']
      Object.defineProperty(lines, Symbol.for('redux-flight-recorder.lineParts.1'), { value: new Map([[1, parts]]) })
      // Not awaited, as a recorder past its sinkTimeoutMs does not: it closes the sink.
      const writing = sink.write(lines, ctx).then(
        () => 'stored',
        (e: Error) => e.message,
      )
      await sink.close()
      const record = await new Promise<any>((resolve, reject) => {
        const open = indexedDB.open('redux-flight-recorder:close-building')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const get = open.result.transaction('sessions').objectStore('sessions').get('S')
          get.onsuccess = () => (open.result.close(), resolve(get.result))
        }
      })
      return { written: await writing, record, expected: ['{"kind":"@@session","v":1}', parts.join(''), '{"kind":"@@end","seq":2}'].join('\n') + '\n' }
    })
    expect(result.written).toBe('stored')
    const stored = await rawChunks(page, 'close-building')
    expect(stored.map((c) => c.n)).toEqual([0, 1])
    expect(stored[1].text === result.expected).toBe(true)
    expect(result.record).toMatchObject({ session: 'S', closed: true, endedBy: 'close', lastSeq: 2 })
  })
})

describe('indexedDbSink', () => {
  it('validates its options', () => {
    expect(() => indexedDbSink({} as never)).toThrow(/Expected indexedDbSink\(\{ name \}\) with a non-empty string `name`/)
    expect(() => indexedDbSink({ name: 'x', maxSessions: 0 })).toThrow(/`maxSessions` to be a positive integer/)
    expect(() => indexedDbSink({ name: 'x', maxJournalBytes: -1 })).toThrow(/`maxJournalBytes` to be a positive/)
    expect(() => indexedDbSink({ name: 'x', maxJournalBytes: '1MB' as never })).toThrow(/`maxJournalBytes`/)
    // 0: no journal.
    expect(() => indexedDbSink({ name: 'x', maxJournalBytes: 0, indexedDB: {} as IDBFactory })).not.toThrow()
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
