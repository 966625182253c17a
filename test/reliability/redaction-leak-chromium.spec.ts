/**
 * Issue 8 (5), browser side, in real Chromium: the secrets session (secrets.ts) recorded to
 * indexedDbSink and httpSink (to a real collector on 127.0.0.1) and saved with downloadRecording.
 * Neither the raw IndexedDB records, nor what loadFromIndexedDb returns, nor the HTTP bodies, nor
 * the downloaded file holds any secret; each still replays verified.
 */
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { REDACTED, type Recording } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { describeInChromium, launchChromium } from '../browser/chromium'
import { assembleLog, bundleApp, serveApp, startCollector, type Collector, type Served } from '../browser/harness'
import { leaks, replacedReducer, secretsReducer, VISIBLE } from './secrets'

describeInChromium('redaction in Chromium: indexedDbSink, httpSink, downloadRecording', () => {
  let browser: Browser
  let served: Served
  let collector: Collector
  beforeAll(async () => {
    const [b, bundle] = await Promise.all([launchChromium(), bundleApp('../../reliability/fixtures/secretsApp.ts')])
    browser = b
    served = await serveApp(bundle)
    collector = await startCollector()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    await collector?.close()
  })

  it('stores, sends and downloads the session without any secret, and each copy replays verified', async () => {
    const context = await browser.newContext({ acceptDownloads: true })
    try {
      const page = await context.newPage()
      const pageErrors: string[] = []
      page.on('pageerror', (e) => pageErrors.push(e.message))
      await page.goto(`${served.origin}/?idb=secrets&http=${encodeURIComponent(collector.url)}`)
      await page.waitForFunction(() => document.title.endsWith('(ready)'))
      await page.evaluate(() => (window as any).app.run())
      const session = await page.evaluate(() => (window as any).app.recorder.session as string)
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
      await page.evaluate(() => (window as any).app.recorder.close())
      await collector.waitFor((d) => d.some((x) => x.session === session && x.body.includes('"kind":"@@end"')))

      const downloaded = await readFile((await download.path())!, 'utf8')
      const rawIndexedDb = await page.evaluate(() => (window as any).app.dumpIndexedDb() as Promise<string>)
      const stored = await page.evaluate(() => (window as any).app.loadFromIndexedDb('secrets'))
      const storedRecording: Recording = stored.find((s: { session: string }) => s.session === session).recording
      const http = assembleLog(collector.deliveries, session).text

      const outputs: Record<string, string> = {
        'downloadRecording file': downloaded,
        'IndexedDB, every raw record': rawIndexedDb,
        'loadFromIndexedDb': JSON.stringify(stored),
        'httpSink request bodies': collector.deliveries.map((d) => d.body).join('\n'),
      }
      for (const [name, text] of Object.entries(outputs)) {
        expect({ output: name, leaked: leaks(text) }).toEqual({ output: name, leaked: [] })
        for (const visible of VISIBLE) expect(text, `${name} should still show '${visible}'`).toContain(visible)
        expect(text).toContain(REDACTED)
      }
      expect(pageErrors).toEqual([])

      const copies: Record<string, Recording> = {
        download: parseRecording(downloaded),
        indexedDb: storedRecording,
        http: parseRecording(http),
      }
      for (const [name, rec] of Object.entries(copies)) {
        expect(rec.entries.filter(isActionEntry).length, name).toBeGreaterThan(8)
        const result = replay(rec, { reducer: secretsReducer, onReplaceReducer: () => replacedReducer })
        expect({ name, ok: result.ok, divergence: result.divergence }).toEqual({ name, ok: true, divergence: undefined })
      }
    } finally {
      await context.close()
    }
  })
})
