import type { Page } from 'playwright-core'
import { type Recording } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import type { StoredSession } from 'redux-flight-recorder/browser'
import { expect, it } from 'vitest'
import { rootReducer } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { setupBrowserSuite } from './suite'

type Stored = Omit<StoredSession, 'recording'> & { recording: Recording }

/** The stored sessions, newest first, and those that could not be read. */
const load = (page: Page, name: string): Promise<{ sessions: Stored[]; unreadable: string[] }> =>
  page.evaluate(async (n) => {
    const unreadable: string[] = []
    const sessions = await (window as any).app.loadFromIndexedDb(n, { onUnreadable: (e: Error) => unreadable.push(e.message) })
    return { sessions, unreadable }
  }, name)
const session = (page: Page): Promise<string> => page.evaluate(() => (window as any).app.recorder.session)

/** Random capitals: IndexedDB compresses what it stores, and these do not shrink much. */
const RANDOM = 'const random = (n) => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join("")'

/** Dispatches `count` added todos with titles of `bytes` random characters. */
const addBig = (page: Page, prefix: string, count: number, bytes: number) =>
  page.evaluate(`(() => {
    ${RANDOM}
    const { app } = window
    for (let i = 0; i < ${count}; i++) app.store.dispatch(app.actions.added({ id: '${prefix}' + i, title: random(${bytes}), done: false }))
  })()`)

/** The app's own IndexedDB data: `filler`, 20 KB values until the quota refuses one; how many it holds. */
const FILL = `(async () => {
  ${RANDOM}
  const db = await new Promise((res, rej) => { const o = indexedDB.open('filler'); o.onupgradeneeded = () => o.result.createObjectStore('s'); o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error) })
  const put = (k) => new Promise((res) => { const tx = db.transaction('s', 'readwrite'); tx.objectStore('s').put(random(20000), k); tx.oncomplete = () => res(true); tx.onabort = () => res(tx.error && tx.error.name) })
  let n = 0, r
  while ((r = await put(n)) === true) n++
  db.close()
  if (r !== 'QuotaExceededError') throw new Error('filling stopped with ' + r)
  return n
})()`
/** The chunks of `redux-flight-recorder:full` as stored: session, n, and `string`, `Blob`, or why its Blob does not read. */
const CHUNKS = `(async () => {
  const db = await new Promise((res, rej) => { const o = indexedDB.open('redux-flight-recorder:full'); o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error) })
  const all = await new Promise((res, rej) => { const g = db.transaction('chunks').objectStore('chunks').getAll(); g.onsuccess = () => res(g.result); g.onerror = () => rej(g.error) })
  db.close()
  const out = []
  for (const c of all) {
    let kind = typeof c.text === 'string' ? 'string' : 'Blob'
    if (kind === 'Blob') await c.text.text().catch((e) => { kind = 'unreadable Blob: ' + e.message })
    out.push([c.session, c.n, kind])
  }
  return out
})()`
const FILLER_COUNT = `(async () => {
  const db = await new Promise((res, rej) => { const o = indexedDB.open('filler'); o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error) })
  const n = await new Promise((res, rej) => { const c = db.transaction('s').objectStore('s').count(); c.onsuccess = () => res(c.result); c.onerror = () => rej(c.error) })
  db.close()
  return n
})()`

describeInChromium('indexedDbSink with the storage quota full (Chromium)', () => {
  const suite = setupBrowserSuite()

  it("deletes its own oldest sessions (never the app's data) to store the newest one whole, says which, and that session replays", async () => {
    // (Session 41: a full quota lost exactly the newest session's lines, the one with the bug.)
    const context = await suite.browser.newContext()
    try {
      // The origin's quota is small (set before anything is stored there: Chromium keeps the one it first used).
      const blank = await context.newPage()
      const cdp = await context.newCDPSession(blank)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: suite.origin, quotaSize: 3_000_000 })
      const warnings: string[] = []
      context.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()))

      // Four older sessions of ~0.4 MB each (100 actions of 2 KB; the final state in @@end as much again), closed.
      const old: string[] = []
      for (let i = 0; i < 4; i++) {
        const page = await suite.openApp({ idb: 'full', flush: 600_000 }, context)
        old.push(await session(page))
        await addBig(page, `o${i}-`, 100, 2000)
        await page.evaluate(() => (window as any).app.recorder.close())
        await page.close()
      }
      // The app's own data takes the rest of the quota.
      await blank.goto(suite.appUrl({}))
      expect(await blank.evaluate(FILL)).toBeGreaterThan(10)

      // The newest session: its registration is refused first. Then ~0.1 MB of actions in one
      // write, the quota filled again, and @@end with a state as large (70 todos: written in parts,
      // and stored as a Blob), refused too.
      const page = await suite.openApp({ idb: 'full', flush: 600_000 }, context)
      const id = await session(page)
      await addBig(page, 'n', 70, 1000)
      await page.evaluate(() => (window as any).app.recorder.flush())
      const filled = (await blank.evaluate(FILL)) as number
      await page.click('#toggle')
      const final = await page.evaluate(() => (window as any).app.store.getState())
      await page.evaluate(() => (window as any).app.recorder.close())
      expect(await page.evaluate(() => (window as any).app.recorder.stats().dropped)).toBe(0)

      const { sessions, unreadable } = await load(page, 'full')
      expect(unreadable).toEqual([])
      const newest = sessions.find((s) => s.session === id)!
      expect(newest).toMatchObject({ closed: true, endedBy: 'close' })
      expect(newest.recording.warnings).toEqual([])
      expect(newest.recording.entries.filter(isActionEntry)).toHaveLength(71)
      const result = replay(newest.recording, { reducer: rootReducer })
      expect(result).toMatchObject({ ok: true, verified: true, steps: 71 })
      expect(result.state).toEqual(final)
      // Its last chunk (@@end with the state) is a Blob, and every Blob stored reads back.
      const stored = (await page.evaluate(CHUNKS)) as Array<[string, number, string]>
      expect(stored.filter(([s]) => s === id).pop()![2]).toBe('Blob')
      expect(stored.filter(([, , kind]) => kind !== 'string' && kind !== 'Blob')).toEqual([])

      // Older sessions went, oldest first, whole; the others are kept as they were (closed: none looks like another tab's).
      for (const s of sessions) expect([s.session, s.closed, s.endedBy]).toEqual([s.session, true, 'close'])
      const kept = sessions.map((s) => s.session).filter((s) => s !== id)
      const deleted = old.filter((s) => !kept.includes(s))
      expect(deleted).toEqual(old.slice(0, deleted.length))
      expect(kept).toEqual(old.slice(deleted.length).reverse())
      for (const s of sessions.filter((s) => s.session !== id)) expect(replay(s.recording, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, steps: 100 })
      // The app's data is untouched.
      expect(await blank.evaluate(FILLER_COUNT)).toBe(filled)

      // Nothing failed; each session deleted to make room is named once in development (a warning).
      expect(await page.evaluate(() => (window as any).app.recorder.stats().sinkErrors)).toBe(0)
      const said = warnings.filter((w) => w.includes('The storage quota was full'))
      const named = said.map((m) => /^\[redux-flight-recorder\] The storage quota was full: indexedDbSink "full" deleted its oldest session, (\S+) \(started [^)]+\), to make room for this session's lines\.$/.exec(m)?.[1])
      expect(named).toEqual(deleted)
      // (Both a small write (the registration) and the Blob's were refused, each deleting one at
      // least: Chromium may count a deletion's space a little later, and the next goes too.)
      expect(deleted.length).toBeGreaterThanOrEqual(2)
    } finally {
      await context.close()
    }
  }, 90_000)

  it('deletes neither the session recording nor one another tab is still recording: with none left, the write fails, said as such', async () => {
    // Another origin (the app's server as `localhost`): Chromium keeps the quota an origin first used, across this file's contexts.
    const at = (query: Record<string, string | number>) => {
      const url = new URL(suite.appUrl(query))
      url.hostname = 'localhost'
      return url.href
    }
    const context = await suite.browser.newContext()
    try {
      const blank = await context.newPage()
      const cdp = await context.newCDPSession(blank)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(at({})).origin, quotaSize: 2_000_000 })
      const warnings: string[] = []
      context.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()))
      const open = async (query: Record<string, string | number>) => {
        const page = await context.newPage()
        await page.goto(at(query))
        await page.waitForFunction(() => document.title.endsWith('(ready)'))
        await page.evaluate(() => (window as any).app.sinks[0].ready())
        return page
      }
      // Another tab, still recording.
      const other = await open({ idb: 'live-full', flush: 600_000 })
      const otherId = await session(other)
      await addBig(other, 'a', 20, 1000)
      await other.evaluate(() => (window as any).app.recorder.flush())
      const page = await open({ idb: 'live-full', flush: 600_000 })
      const id = await session(page)
      await page.click('#add')
      await page.evaluate(() => (window as any).app.recorder.flush())
      await blank.goto(at({}))
      const filled = (await blank.evaluate(FILL)) as number

      await addBig(page, 'n', 60, 1000)
      await page.evaluate(() => (window as any).app.recorder.flush())
      expect(await page.evaluate(() => (window as any).app.recorder.stats().sinkErrors)).toBeGreaterThan(0)
      expect(warnings).toContainEqual(
        expect.stringMatching(/^\[redux-flight-recorder\] sink failed: The storage quota is full, and indexedDbSink "live-full" has no older session left to delete to make room \(this session, and those other tabs may still be recording, are kept\)\.$/),
      )
      const { sessions } = await load(page, 'live-full')
      expect(sessions.map((s) => s.session).sort()).toEqual([id, otherId].sort())
      const kept = sessions.find((s) => s.session === otherId)!
      expect(kept.recording.entries.filter(isActionEntry)).toHaveLength(20)
      expect(await blank.evaluate(FILLER_COUNT)).toBe(filled)
    } finally {
      await context.close()
    }
  }, 90_000)
})
