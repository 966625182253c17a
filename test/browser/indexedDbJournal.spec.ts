import type { Page } from 'playwright-core'
import type { Recording } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import type { StoredSession } from 'redux-flight-recorder/browser'
import { expect, it } from 'vitest'
import { rootReducer } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { setupBrowserSuite } from './suite'
import { growAndReload } from './harness'

// indexedDbSink keeps what it writes while the page is being left in localStorage until the
// IndexedDB transaction completes (Chromium aborts uncommitted transactions when the document goes
// away). These tests make that happen for real: another page of the origin holds a readwrite
// transaction on the store, so the leaving page's last transaction is queued behind it and dies
// with its document, and only the journal entry is left. loadFromIndexedDb and
// deleteFromIndexedDb are then called from a page without a sink (a sink's start would write the
// journal into IndexedDB itself).

type Stored = Omit<StoredSession, 'recording'> & { recording: Recording }

const dbName = (name: string) => `redux-flight-recorder:${name}`
const journalKeys = (page: Page, name: string, session?: string): Promise<string[]> =>
  page.evaluate(
    ([prefix]) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)),
    [`${dbName(name)}:unwritten:${session ?? ''}`],
  )
const load = (page: Page, name: string): Promise<Stored[]> => page.evaluate((n) => (window as any).app.loadFromIndexedDb(n), name)

/** Holds a readwrite transaction on the store's database in `page` until `release` is called. */
async function holdTransaction(page: Page, name: string): Promise<{ release(): Promise<boolean> }> {
  await page.evaluate(
    (database) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(database)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const tx = db.transaction(['sessions', 'chunks'], 'readwrite')
          const sessions = tx.objectStore('sessions')
          const w = window as any
          w.blocker = {
            release: false,
            done: new Promise<boolean>((done) => {
              tx.oncomplete = () => (db.close(), done(true))
              tx.onabort = () => (db.close(), done(false))
            }),
          }
          // Requests issued from each other's success keep the transaction active.
          const spin = (first: boolean) => {
            const get = sessions.get('none')
            get.onsuccess = () => {
              if (first) resolve()
              if (!w.blocker.release) spin(false)
            }
          }
          spin(true)
        }
      }),
    dbName(name),
  )
  return {
    release: () =>
      page.evaluate(() => {
        const w = window as any
        w.blocker.release = true
        return w.blocker.done as Promise<boolean>
      }),
  }
}

/** The stored session record, read straight from IndexedDB (no journal). */
const rawLastSeq = (page: Page, name: string, session: string): Promise<number | undefined> =>
  page.evaluate(
    ([database, id]) =>
      new Promise<number | undefined>((resolve, reject) => {
        const open = indexedDB.open(database)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const get = open.result.transaction('sessions').objectStore('sessions').get(id)
          get.onsuccess = () => (open.result.close(), resolve(get.result?.lastSeq))
          get.onerror = () => reject(get.error)
        }
      }),
    [dbName(name), session],
  )

/**
 * A session whose first three actions were flushed, and whose last three were written only while the
 * page was being left: their transaction never completed, so they are in the journal alone. Returns
 * a page of the same origin without a sink, the session and its final state.
 */
async function leaveWithUncommittedLines(suite: ReturnType<typeof setupBrowserSuite>, name: string) {
  const leaving = await suite.openApp({ idb: name, flush: 600_000 })
  await leaving.evaluate(() => (window as any).app.sinks[0].ready())
  const session: string = await leaving.evaluate(() => (window as any).app.recorder.session)
  for (let i = 0; i < 3; i++) await leaving.click('#add')
  await leaving.evaluate(() => (window as any).app.recorder.flush())

  const reader = await suite.openApp({}, leaving.context())
  const blocker = await holdTransaction(reader, name)
  await leaving.click('#add')
  await leaving.click('#add')
  await leaving.click('#toggle')
  const finalState: unknown = await leaving.evaluate(() => (window as any).app.store.getState())
  // A real page leave: pagehide makes the sink journal and start its transaction, which waits
  // behind the reader's; closing the page then ends the document (bfcache included).
  await leaving.goto(`${suite.origin}/other.html`)
  await leaving.close()

  expect(await journalKeys(reader, name, session)).not.toEqual([])
  expect(await blocker.release()).toBe(true)
  // The precondition of what follows: IndexedDB alone lacks the last three actions.
  expect(await rawLastSeq(reader, name, session)).toBe(3)
  return { reader, session, finalState }
}

const actionKinds = (r: Recording) => r.entries.filter(isActionEntry).map((e) => e.kind)

describeInChromium('indexedDbSink journal (Chromium)', () => {
  const suite = setupBrowserSuite()

  it('loadFromIndexedDb returns the lines only the journal holds, in order, once', async () => {
    const { reader, session, finalState } = await leaveWithUncommittedLines(suite, 'journal-load')
    const expectLoaded = async () => {
      const stored = (await load(reader, 'journal-load')).find((s) => s.session === session)!
      expect(stored).toMatchObject({ closed: false, endedBy: 'pagehide', lastSeq: 6 })
      expect(stored.recording.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
      expect(actionKinds(stored.recording)).toEqual(['todos/added', 'todos/added', 'todos/added', 'todos/added', 'todos/added', 'todos/toggled'])
      const result = replay(stored.recording, { reducer: rootReducer })
      expect(result).toMatchObject({ ok: true, verified: true, steps: 6 })
      expect(result.state).toEqual(finalState)
    }
    await expectLoaded()
    // Loading reads the journal and leaves it for the next sink's start.
    await expectLoaded()
    const planted = await reader.evaluate((prefix) => Object.entries(localStorage).filter(([k]) => k.startsWith(prefix)), `${dbName('journal-load')}:unwritten:${session}`)
    expect(planted.length).toBeGreaterThan(0)

    // A sink's start writes the journal into IndexedDB and removes it...
    const next = await suite.openApp({ idb: 'journal-load' }, reader.context())
    await next.evaluate(() => (window as any).app.sinks[0].ready())
    // (Read in the page that removed them: another page's copy of localStorage learns of it later.)
    expect(await journalKeys(next, 'journal-load', session)).toEqual([])
    expect(await rawLastSeq(reader, 'journal-load', session)).toBe(6)
    // ...and an entry whose transaction did commit but whose removal was lost (the page went away
    // in between) is not read twice.
    await reader.evaluate((entries) => entries.forEach(([k, v]) => localStorage.setItem(k, v)), planted)
    await expectLoaded()
  })

  it('a page reloaded before its first flush, with a large state and recordPageLifecycle set up before the store, keeps its session whole: it loads with its header and replays', async () => {
    // Over 256 KiB of state (2 000 todos of ~250 bytes): no header is stored early, so the lines
    // written at pagehide are the session's first. `lifecycle=first`: recordPageLifecycle's
    // pagehide listener flushes (writeSync) before the sink's own listener runs.
    const name = 'journal-large-early'
    const leaving = await suite.openApp({ idb: name, flush: 600_000, preload: 2000, lifecycle: 'first' })
    await leaving.evaluate(() => (window as any).app.sinks[0].ready())
    const session: string = await leaving.evaluate(() => (window as any).app.recorder.session)
    // Every transaction of the leaving page waits behind this one, so none commits before the
    // document goes away: what survives the reload is what the journal holds.
    const reader = await suite.openApp({}, leaving.context())
    const blocker = await holdTransaction(reader, name)
    const finalState = await growAndReload(leaving)
    expect(await leaving.evaluate(() => (window as any).app.recorder.session)).not.toBe(session)
    expect(await journalKeys(reader, name, session)).not.toEqual([])
    expect(await blocker.release()).toBe(true)
    // The reloaded page's sink writes the journal into IndexedDB as it starts.
    await leaving.evaluate(() => (window as any).app.sinks[0].ready())

    const { sessions, unreadable } = await leaving.evaluate(async (n) => {
      const unreadable: string[] = []
      const sessions = await (window as any).app.loadFromIndexedDb(n, { onUnreadable: (e: Error) => unreadable.push(e.message) })
      return { sessions: sessions as Stored[], unreadable }
    }, name)
    expect(unreadable).toEqual([])
    const previous = sessions.find((s) => s.session === session)
    expect(previous).toMatchObject({ closed: false, endedBy: 'pagehide' })
    expect(previous!.recording.header.from_seq).toBe(1)
    expect(actionKinds(previous!.recording)).toEqual(Array(10).fill('todos/added'))
    const result = replay(previous!.recording, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 10 })
    expect(result.state).toEqual(finalState)
  })

  it('a write issued before the page was left, whose transaction dies with the document, is journaled at page hide: the session loads with every action and replays', async () => {
    // The panel's flake: a session listed with its header and "0 actions" after a reload, because
    // a timer flush's transaction, started before pagehide and not journaled, died with the page.
    const name = 'journal-inflight'
    const leaving = await suite.openApp({ idb: name, flush: 600_000 })
    await leaving.evaluate(() => (window as any).app.sinks[0].ready())
    const session: string = await leaving.evaluate(() => (window as any).app.recorder.session)
    // The early header is stored: the session is listed, with no actions yet.
    await leaving.evaluate(async ([n, s]) => {
      while (!((await (window as any).app.loadFromIndexedDb(n)) as Stored[]).some((x) => x.session === s)) await new Promise((r) => setTimeout(r, 10))
    }, [name, session])

    const reader = await suite.openApp({}, leaving.context())
    const blocker = await holdTransaction(reader, name)
    await leaving.click('#add')
    await leaving.click('#add')
    await leaving.click('#toggle')
    const finalState: unknown = await leaving.evaluate(() => (window as any).app.store.getState())
    // An ordinary write (not at page hide), not awaited: its transaction waits behind the reader's.
    // The sink has it once write() was called (the recorder hashes first, in other tasks).
    await leaving.evaluate(() => {
      const w = window as any
      const sink = w.app.sinks[0]
      const write = sink.write
      sink.write = (...args: unknown[]) => ((w.written = true), write.apply(sink, args))
      void w.app.recorder.flush()
    })
    await leaving.waitForFunction(() => (window as any).written === true)
    await leaving.goto(`${suite.origin}/other.html`)
    await leaving.close()
    expect(await blocker.release()).toBe(true)
    // The precondition: IndexedDB alone has the header and no action.
    expect(await rawLastSeq(reader, name, session)).toBe(0)

    const expectLoaded = async () => {
      const found = (await load(reader, name)).filter((s) => s.session === session)
      expect(found).toHaveLength(1)
      expect(found[0]).toMatchObject({ endedBy: 'pagehide', lastSeq: 3 })
      expect(found[0].recording.entries.map((e) => e.seq)).toEqual([1, 2, 3])
      expect(actionKinds(found[0].recording)).toEqual(['todos/added', 'todos/added', 'todos/toggled'])
      const result = replay(found[0].recording, { reducer: rootReducer })
      expect(result).toMatchObject({ ok: true, verified: true, steps: 3 })
      expect(result.state).toEqual(finalState)
    }
    await expectLoaded()
    // A sink's start writes the entry into IndexedDB, once.
    const next = await suite.openApp({ idb: name }, reader.context())
    await next.evaluate(() => (window as any).app.sinks[0].ready())
    // (Read in the page that removed them: the reader's copy of localStorage learns of it later;
    // read there, a loaded machine saw the key still, session 35's CI.)
    expect(await journalKeys(next, name, session)).toEqual([])
    expect(await rawLastSeq(reader, name, session)).toBe(3)
    await expectLoaded()
  })

  it("takes at most maxJournalBytes of localStorage, which the app's own keys share (lines past it are not journaled)", async () => {
    // (An app that held 3 MB in localStorage had its own save at page hide refused: the journal had taken 1.5 MB.)
    const journalChars = async (budget: number | undefined) => {
      const name = `journal-budget-${budget ?? 'default'}`
      const leaving = await suite.openApp({ idb: name, flush: 600_000, ...(budget === undefined ? {} : { maxJournalBytes: budget }) })
      await leaving.evaluate(() => (window as any).app.sinks[0].ready())
      const session: string = await leaving.evaluate(() => (window as any).app.recorder.session)
      const reader = await suite.openApp({}, leaving.context())
      const blocker = await holdTransaction(reader, name)
      // 300 actions pending when the page is left: ~40 KB of lines.
      await leaving.evaluate(() => {
        const { app } = window as any
        for (let i = 0; i < 300; i++) app.store.dispatch(app.actions.audited())
      })
      await leaving.goto(`${suite.origin}/other.html`)
      await leaving.close()
      const chars = await reader.evaluate(
        (prefix) => Object.entries(localStorage).reduce((n, [k, v]) => (k.startsWith(prefix) ? n + k.length + v.length : n), 0),
        `${dbName(name)}:unwritten:${session}`,
      )
      await blocker.release()
      await reader.close()
      return chars
    }
    expect(await journalChars(undefined)).toBeGreaterThan(20_000)
    const bounded = await journalChars(8_000)
    expect(bounded).toBeLessThanOrEqual(8_000)
  })

  it('deleteFromIndexedDb removes the journal lines with the session, and no sink brings them back', async () => {
    const { reader, session } = await leaveWithUncommittedLines(suite, 'journal-delete')
    expect(await reader.evaluate(([n, s]) => (window as any).app.deleteFromIndexedDb(n, s), ['journal-delete', session])).toBe(true)
    expect(await journalKeys(reader, 'journal-delete', session)).toEqual([])
    expect((await load(reader, 'journal-delete')).map((s) => s.session)).not.toContain(session)

    const next = await suite.openApp({ idb: 'journal-delete' }, reader.context())
    await next.evaluate(() => (window as any).app.sinks[0].ready())
    expect(await rawLastSeq(reader, 'journal-delete', session)).toBeUndefined()
    expect((await load(reader, 'journal-delete')).map((s) => s.session)).not.toContain(session)
  })
})
