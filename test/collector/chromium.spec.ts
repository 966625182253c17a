import { type Recording } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { createCollector, fileStore, type Collector } from 'redux-flight-recorder/collector'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInChromium } from '../browser/chromium'
import { setupBrowserSuite } from '../browser/suite'
import { rootReducer } from '../helpers/todoApp'
import { ADMIN_TOKEN, INGEST_KEY, filesUnder, listen, tempDir, type Listening } from './helpers'

describeInChromium('collector end to end (Chromium, httpSink)', () => {
  const suite = setupBrowserSuite()
  let dir: { dir: string; remove(): Promise<void> }
  beforeAll(async () => {
    dir = await tempDir('rfr-collector-e2e-')
  })
  afterAll(async () => {
    await dir.remove()
  })

  /** A collector process as `serve` runs it: a fresh collector over the same directory each start. */
  async function startCollector(port = 0): Promise<{ collector: Collector; server: Listening }> {
    const collector = createCollector({
      store: fileStore(dir.dir),
      ingestKey: INGEST_KEY,
      adminToken: ADMIN_TOKEN,
      allowedOrigins: [suite.origin],
    })
    return { collector, server: await listen(collector, port) }
  }

  async function stop(c: { collector: Collector; server: Listening }) {
    c.collector.close()
    await c.server.close()
  }

  /** The assembled session as the collector serves it, once `done` holds for it. */
  async function waitForLog(base: string, session: string, done: (r: Recording, gaps: string) => boolean): Promise<{ recording: Recording; text: string; gaps: string }> {
    const until = Date.now() + 30_000
    let last = 'nothing yet'
    for (;;) {
      const res = await fetch(`${base}/sessions/${session}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      if (res.status === 200) {
        const text = await res.text()
        const gaps = res.headers.get('flight-recorder-gaps') ?? ''
        const recording = parseRecording(text)
        if (done(recording, gaps)) return { recording, text, gaps }
        last = `${recording.entries.length} entries, gaps "${gaps}"`
      } else last = `status ${res.status}`
      if (Date.now() > until) throw new Error(`The collector did not have the expected session within 30 s (${last}).`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  const actions = (r: Recording) => r.entries.filter(isActionEntry).length

  it('receives a session while it is stopped and restarted mid-session, complete and verified by replay', async () => {
    let running = await startCollector()
    const base = running.server.url
    const port = Number(new URL(base).port)
    const page = await suite.openApp({
      http: `${base}/ingest?key=${INGEST_KEY}`,
      flush: 100,
      lifecycle: 1,
      retries: 100,
      retryDelay: 100,
      maxRetryDelay: 300,
    })
    const session = await page.evaluate(() => (window as any).app.recorder.session as string)
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Add todo' }).click()
    await waitForLog(base, session, (r) => actions(r) === 5)

    // The collector goes down; the app goes on recording and httpSink keeps retrying.
    await stop(running)
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Add todo' }).click()
    await page.getByRole('button', { name: 'Toggle first' }).click()
    // Wait until the page has tried (and failed) to send them, so they are retries, not first sends.
    await page.waitForFunction(() => (window as any).app.sinks[0].pending().chunks > 0)

    running = await startCollector(port)
    try {
      await page.getByRole('button', { name: 'Add todo' }).click()
      const before = await page.evaluate(() => (window as any).app.store.getState())
      // Leaving the page: the tail goes by sendBeacon on pagehide.
      await Promise.all([page.waitForURL('**/other.html'), page.getByRole('link', { name: 'Leave' }).click()])
      const { recording, gaps } = await waitForLog(base, session, (r, g) =>
        g === '' && r.entries.some((e) => e.kind === '@@lifecycle' && (e as { body?: { event?: string } }).body?.event === 'pagehide'),
      )
      expect(gaps).toBe('')
      expect(recording.warnings).toEqual([])
      expect(recording.header.meta).toMatchObject({ app: 'browser-fixture' })
      expect(recording.entries.filter(isActionEntry).map((e) => e.kind)).toEqual([...Array(9).fill('todos/added'), 'todos/toggled', 'todos/added'])
      const result = replay(recording, { reducer: rootReducer })
      expect(result).toMatchObject({ ok: true, verified: true, steps: 11 })
      expect(result.state).toEqual(before)
      // Nothing but the session's batches and header were written.
      const files = await filesUnder(dir.dir)
      expect(files.every((f) => f.startsWith(`${session}/`))).toBe(true)
      expect(files).toContain(`${session}/header.json`)
    } finally {
      await stop(running)
    }
  })
})
