import type { Page } from 'playwright-core'
import { createFlightRecorder, type Entry, type Recording } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'
import { recordPageLifecycle } from 'redux-flight-recorder/browser'
import { describe, expect, it } from 'vitest'
import { applyMiddleware, compose, createStore, type StoreEnhancer } from 'redux'
import { added, rootReducer } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { startCollector } from './harness'
import { setupBrowserSuite } from './suite'

const snapshot = (page: Page): Promise<Recording> => page.evaluate(() => (window as any).app.recorder.snapshot())
/** Actions by the id they add, lifecycle entries by their event. */
const outline = (entries: Entry[]) =>
  entries.map((e) =>
    e.kind === '@@lifecycle' ? `@@lifecycle:${(e.body as { event: string }).event}` : `${e.kind}:${(e as any).action?.payload?.id ?? ''}`,
  )

describeInChromium('recordPageLifecycle (Chromium)', () => {
  const suite = setupBrowserSuite()

  it('records an uncaught error thrown in a click handler between the right actions, with message and stack', async () => {
    const page = await suite.openApp({ lifecycle: 1 })
    await page.click('#add')
    await page.click('#explode') // adds todo-2, then throws
    await page.click('#add')

    expect(suite.takePageErrors(page)).toEqual(['Exploded in a click handler'])
    const recording = await snapshot(page)
    expect(outline(recording.entries)).toEqual(['todos/added:todo-1', 'todos/added:todo-2', '@@lifecycle:error', 'todos/added:todo-3'])
    const error = recording.entries[2]
    expect(error).toMatchObject({
      turn: null,
      body: { event: 'error', name: 'Error', message: 'Exploded in a click handler', source: `${suite.origin}/app.js` },
    })
    expect((error.body as { stack: string }).stack).toMatch(/Exploded in a click handler\n\s+at HTMLButtonElement\./)
    expect((error.body as { line: number }).line).toBeGreaterThan(0)
    // Lifecycle entries are never fed to the reducer.
    expect(replay(recording, { reducer: rootReducer })).toMatchObject({ ok: true, steps: 3 })
  })

  it('records unhandled rejections with the reason', async () => {
    const page = await suite.openApp({ lifecycle: 1 })
    await page.click('#reject')
    await page.waitForFunction(() => (window as any).app.recorder.stats().entries > 0)
    const thrown: string[] = []
    await expect.poll(() => (thrown.push(...suite.takePageErrors(page)), thrown)).toEqual(['Nobody handles this rejection'])
    const [entry] = (await snapshot(page)).entries
    expect(entry.body).toMatchObject({ event: 'unhandledrejection', name: 'TypeError', message: 'Nobody handles this rejection' })
    expect((entry.body as { stack: string }).stack).toContain('TypeError: Nobody handles this rejection')
  })

  it('records offline and online', async () => {
    const page = await suite.openApp({ lifecycle: 1 })
    await page.context().setOffline(true)
    await page.waitForFunction(() => !navigator.onLine)
    await page.click('#add')
    await page.context().setOffline(false)
    await page.waitForFunction(() => (window as any).app.recorder.stats().entries >= 3)
    expect(outline((await snapshot(page)).entries)).toEqual(['@@lifecycle:offline', 'todos/added:todo-1', '@@lifecycle:online'])
  })

  it('records pagehide and visibilitychange when the page is left, and hands those entries to sinks at once', async () => {
    // Headless Chromium keeps background tabs visible; leaving the page hides it for real.
    const page = await suite.openApp({ lifecycle: 1, idb: 'leave', flush: 600_000 })
    const session = await page.evaluate(() => (window as any).app.recorder.session)
    await page.click('#add')
    await Promise.all([page.waitForURL('**/other.html'), page.click('#leave')])

    const next = await suite.openApp({ idb: 'leave' }, page.context())
    // Chromium aborts the left page's IndexedDB transactions that had not committed when its document
    // went away; the sink kept what they wrote in localStorage, and the next page's sink writes it to
    // IndexedDB when it starts: wait for that transaction.
    await next.evaluate(() => (window as any).app.sinks[0].ready())
    const stored = (await next.evaluate(() => (window as any).app.loadFromIndexedDb('leave'))).find((s: any) => s.session === session)
    // No timer ran (flushIntervalMs is ten minutes): each entry was handed to the sink by a flushSync
    // in the event that recorded it.
    expect(stored.recording.entries.map((e: Entry) => (e.kind === '@@lifecycle' ? e.body : e.kind))).toEqual([
      'todos/added',
      { event: 'pagehide', persisted: false },
      { event: 'visibilitychange', state: 'hidden' },
    ])
  })

  it.each([
    ['after the store, as the guide says: the sinks listen first', '1'],
    // (As a `/lazy` recorder's sinks, which attach when its core arrives: review, session 36.)
    ['before the store: the sinks attach after it', 'first'],
  ])("records pagehide before the sinks' own pagehide listeners write what is pending, set up %s: the first journal write and the first beacon hold it", async (_, lifecycle) => {
    // Closing a tab, Chromium stops the page about half a second after the close request, in the
    // middle of the pagehide listeners when a burst was still pending (the acceptance app: 1 000
    // actions, 300-430 ms of listeners). What the sinks write first must then end with the page's
    // pagehide entry, and the stored session say the page was left (not a crash).
    const collector = await startCollector()
    try {
      const name = `lifecycle-first-write-${lifecycle}`
      const page = await suite.openApp({ idb: name, http: collector.url, lifecycle, flush: 600_000 })
      await page.evaluate(() => (window as any).app.sinks[0].ready())
      // The session's header is stored first (a loaded machine had not yet: the page hide then wrote
      // it as a write of its own, before the burst), so the writes watched are the burst's. The sink
      // stores it early, in a commit of its own that neither ready() nor a flush with no line to
      // write waits for (CI, session 42: the first journal write was that header): wait until stored.
      await page.evaluate(() => (window as any).app.recorder.flush())
      await page.evaluate(async (idb) => {
        const { app } = window as any
        for (;;) {
          const stored = (await app.loadFromIndexedDb(idb)).find((s: { session: string }) => s.session === app.recorder.session)
          if (stored?.bytes > 0) return
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }, name)
      const writes = await page.evaluate(async () => {
        const { app } = window as any
        for (let i = 0; i < 100; i++) app.addTodo()
        const writes: Array<{ by: string; body: string | Blob; keepalive?: boolean }> = []
        const setItem = Storage.prototype.setItem
        Storage.prototype.setItem = function (key: string, value: string) {
          writes.push({ by: key.includes(':http ') ? 'http spill' : 'idb journal', body: value })
          return setItem.call(this, key, value)
        }
        const sendBeacon = navigator.sendBeacon.bind(navigator)
        navigator.sendBeacon = (url, body) => (writes.push({ by: 'beacon', body: body as Blob }), sendBeacon(url, body))
        const fetch = window.fetch
        window.fetch = function (url, init) {
          writes.push({ by: 'fetch', body: String(init?.body ?? ''), keepalive: init?.keepalive })
          return fetch.call(this, url, init)
        }
        // (What Chromium dispatches when the page is left; its listeners run in the same order.)
        window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
        Storage.prototype.setItem = setItem
        navigator.sendBeacon = sendBeacon
        window.fetch = fetch
        return Promise.all(writes.map(async (w) => ({ ...w, body: typeof w.body === 'string' ? w.body : await w.body.text() })))
      })
      // Each write in short: its actions, and the kind (and event) of its last line.
      const outlineOf = (text: string) => {
        const last = JSON.parse(text.trimEnd().split('\n').pop()!) as Entry
        return { actions: text.split('"kind":"todos/added"').length - 1, last: outline([last])[0] }
      }
      const journal = JSON.parse(writes.find((w) => w.by === 'idb journal')!.body)
      expect({ ...outlineOf(journal.chunk.text), endedBy: journal.session.endedBy }).toEqual({ actions: 100, last: '@@lifecycle:pagehide', endedBy: 'pagehide' })
      expect(outlineOf(writes.find((w) => w.by === 'beacon')!.body)).toEqual({ actions: 100, last: '@@lifecycle:pagehide' })
      // Nothing went by a plain fetch that the page's end cancels (to be sent again by beacon).
      expect(writes.filter((w) => w.by === 'fetch' && !w.keepalive)).toEqual([])
      await collector.waitFor((d) => d.some((x) => x.body.includes('"event":"pagehide"')))
    } finally {
      await collector.close()
    }
  })

  it('flushes what a pagehide listener of the app, added between the store and recordPageLifecycle, dispatches (review, session 36)', async () => {
    // The package's listeners run from one real listener, added with the store: the app's listener
    // added since runs after it, so recordPageLifecycle flushes once more after it.
    const collector = await startCollector()
    try {
      const page = await suite.openApp({ http: collector.url, flush: 600_000 })
      const beacons = await page.evaluate(async () => {
        const { app } = window as any
        addEventListener('pagehide', () => app.store.dispatch({ type: 'draft/saved' }))
        app.recordPageLifecycle(app.recorder)
        app.addTodo()
        const beacons: Blob[] = []
        const sendBeacon = navigator.sendBeacon.bind(navigator)
        navigator.sendBeacon = (url, body) => (beacons.push(body as Blob), sendBeacon(url, body))
        window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
        navigator.sendBeacon = sendBeacon
        return Promise.all(beacons.map((b) => b.text()))
      })
      const kinds = beacons.flatMap((text) => text.trimEnd().split('\n').map((line) => (JSON.parse(line) as Entry).kind))
      expect(kinds).toContain('todos/added')
      expect(kinds).toContain('draft/saved')
      // Nothing is left to be lost with the page.
      expect(await page.evaluate(() => (window as any).app.sinks[0].pending().chunks)).toBe(0)
    } finally {
      await collector.close()
    }
  })

  it('removes its listeners when disposed, and when the recorder closes', async () => {
    const page = await suite.openApp()
    const cdp = await page.context().newCDPSession(page)
    const listenerTypes = async () => {
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' })
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! })
      return listeners.map((l) => l.type).sort()
    }
    const before = await listenerTypes()

    await page.evaluate(() => {
      const { app } = window as any
      const stop = app.recordPageLifecycle(app.recorder)
      window.dispatchEvent(new Event('offline'))
      stop()
      window.dispatchEvent(new Event('offline'))
    })
    expect(await listenerTypes()).toEqual(before)
    expect(outline((await snapshot(page)).entries)).toEqual(['@@lifecycle:offline'])

    await page.evaluate(() => (window as any).app.recordPageLifecycle((window as any).app.recorder))
    // (Two for pagehide: the package's listeners of a type run from one; a second flushes after the app's own.)
    expect(await listenerTypes()).toEqual(
      [...before, 'error', 'offline', 'online', 'pagehide', 'pagehide', 'pageshow', 'unhandledrejection'].sort(),
    )
    await page.evaluate(() => (window as any).app.recorder.close())
    expect(await listenerTypes()).toEqual(before)
  })
})

describe('recordPageLifecycle', () => {
  it('does nothing outside a page and returns a dispose function', async () => {
    const recorder = createFlightRecorder()
    const store = createStore(rootReducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
    store.dispatch(added({ id: 'a', title: 'before', done: false }))
    const dispose = recordPageLifecycle(recorder)
    store.dispatch(added({ id: 'b', title: 'while', done: false }))
    expect(dispose).toBeTypeOf('function')
    dispose()
    dispose() // a second call is harmless
    store.dispatch(added({ id: 'c', title: 'after', done: false }))
    // In Node there is no page: no lifecycle entry, only the app's actions, replaying ok.
    const recording = recorder.snapshot()
    expect(outline(recording.entries)).toEqual(['todos/added:a', 'todos/added:b', 'todos/added:c'])
    expect(replay(recording, { reducer: rootReducer })).toMatchObject({ ok: true, steps: 3 })
    await recorder.close()
  })

  it('rejects what is not a recorder', () => {
    expect(() => recordPageLifecycle({} as never)).toThrow(/Expected a recorder from createFlightRecorder\(\)/)
  })
})
