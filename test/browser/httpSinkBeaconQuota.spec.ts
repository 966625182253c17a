import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeInChromium } from './chromium'
import { setupBrowserSuite } from './suite'

const ADMIN = 'beacon-quota-admin-token'

/**
 * Found by the session 31 acceptance run: with more than 64 KiB pending at a reload, Chromium's
 * beacons took the first 64 KiB and refused the rest; each refused chunk went to a keepalive fetch,
 * which the same quota rejects ("Failed to fetch") after page hide, and the spill had left those
 * chunks out as "on their way". The collector kept a gap for good. Now they are kept in
 * localStorage, and the next page sends them.
 */
describeInChromium('httpSink: more pending at a reload than the beacon allowance (Chromium, the package collector)', () => {
  const suite = setupBrowserSuite()
  let server: Server
  let dir: string
  let origin: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rfr-beacon-quota-'))
    const collector = createCollector({ store: fileStore(dir), adminToken: ADMIN, basePath: '/flight', allowedOrigins: [suite.origin] })
    server = createServer(collector)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterEach(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    await rm(dir, { recursive: true, force: true })
  })

  it('every seq reaches the collector: what no beacon took is kept in localStorage and sent by the next page', async () => {
    const N = 1000
    // A long flush interval: everything is pending when the page is left (about 220 KB of JSONL).
    const page = await suite.openApp({ http: `${origin}/flight/ingest`, flush: 60_000 })
    // What the page asks of the browser while it hides, counted where the next page can read it
    // (before the app's own scripts: an init script, applied by a reload).
    await page.context().addInitScript(() => {
      let hiding = false
      addEventListener('pagehide', () => (hiding = true))
      const count = (key: string) => sessionStorage.setItem(key, String(Number(sessionStorage.getItem(key) ?? 0) + 1))
      const beacon = navigator.sendBeacon.bind(navigator)
      navigator.sendBeacon = (url, data) => {
        const taken = beacon(url, data)
        if (hiding) count(taken ? 'beacon taken' : 'beacon refused')
        return taken
      }
      const fetched = window.fetch.bind(window)
      window.fetch = (input, init) => {
        if (hiding && init?.keepalive) count('keepalive fetch')
        return fetched(input, init)
      }
    })
    await page.reload()
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    const session = await page.evaluate((n) => {
      const { store, recorder } = (window as any).app
      for (let i = 0; i < n; i++) store.dispatch({ type: 'ui/typed', payload: `note ${i} ${'x'.repeat(150)}` })
      return recorder.session as string
    }, N)
    await page.reload()
    await page.waitForFunction(() => document.title.endsWith('(ready)'))
    const next = await page.evaluate(() => (window as any).app.recorder.session as string)
    expect(next).not.toBe(session)
    // The new page sends what the first one kept before its own lines; then its queue is empty.
    await page.evaluate(() => (window as any).app.recorder.flush())
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks === 0)

    // The first page's beacons are the browser's to deliver, in their own time: wait (bounded) for
    // the collector to hold the session without gaps before reading it.
    const read = () => fetch(`${origin}/flight/sessions/${session}`, { headers: { Authorization: `Bearer ${ADMIN}` } })
    let response = await read()
    for (const until = Date.now() + 15_000; response.status !== 200 || (response.headers.get('flight-recorder-gaps') ?? '') !== ''; ) {
      if (Date.now() > until) break
      await new Promise((r) => setTimeout(r, 100))
      response = await read()
    }
    expect(response.status).toBe(200)
    expect(response.headers.get('flight-recorder-gaps') ?? '').toBe('')
    const recording = parseRecording(await response.text(), { strict: false })
    expect(recording.warnings).toEqual([])
    const typed = recording.entries.filter(isActionEntry).filter((e) => e.kind === 'ui/typed')
    expect(typed.map((e) => (e.action as unknown as { payload: string }).payload.split(' ')[1])).toEqual(Array.from({ length: N }, (_, i) => String(i)))
    // The beacons took what fit; once one was refused, no keepalive fetch was tried (the same
    // allowance refuses it: Chromium's "Failed to fetch", after building each request).
    const asked = await page.evaluate(() => Object.fromEntries(['beacon taken', 'beacon refused', 'keepalive fetch'].map((k) => [k, Number(sessionStorage.getItem(k) ?? 0)])))
    expect(asked['beacon taken']).toBeGreaterThan(0)
    expect(asked['beacon refused']).toBeGreaterThan(0)
    expect(asked['keepalive fetch']).toBe(0)
    // Delivered: the spill is gone.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('redux-flight-recorder:http ')))).toEqual([])
  })
})
