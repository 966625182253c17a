import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import { rootReducer } from '../helpers/todoApp'
import { describeInChromium, launchChromium } from './chromium'
import { assembleLog, bundleApp, firstLoad, startCollector, type AppBundle, type Collector } from './harness'

// redux-flight-recorder/lazy in a production bundle with code splitting (esbuild, as an app's
// bundler builds it): the page loads the shell, the sinks and the error classes; the recorder's core
// is a chunk requested when the recorder is created. Here its answer is held back (or refused), so
// the app records before it arrives.

describeInChromium('redux-flight-recorder/lazy (Chromium, a code-split production bundle)', () => {
  let browser: Browser
  let bundle: AppBundle
  let server: Server
  let origin: string
  /** How the core chunk is answered: after `coreDelayMs`, or 404 when `coreMissing`. */
  const serving = { coreDelayMs: 0, coreMissing: false, coreRequests: 0 }
  let coreFile = ''
  let entryFile = ''
  let collector: Collector
  const pages: Page[] = []

  beforeAll(async () => {
    const built = await Promise.all([launchChromium(), bundleApp('lazyApp.ts', { minify: true, splitting: true, production: true })])
    browser = built[0]
    bundle = built[1]
    const outputs = bundle.metafile.outputs
    entryFile = Object.keys(outputs).find((o) => outputs[o].entryPoint !== undefined)!
    coreFile = Object.keys(outputs).find((o) => Object.keys(outputs[o].inputs).some((i) => i.endsWith('dist/recorder-core.js')))!
    const byName = new Map([...bundle.files].map(([path, text]) => [basename(path), text]))
    server = createServer((req, res) => {
      const name = basename(new URL(req.url ?? '/', 'http://x').pathname)
      const send = (status: number, type: string, body: string) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
        res.end(body)
      }
      if (name === '' || name === 'index.html') return send(200, 'text/html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lazy recorder</title></head><body><script type="module" src="/${basename(entryFile)}"></script></body></html>`)
      const text = byName.get(name)
      if (text === undefined) return send(404, 'text/plain', 'not found')
      if (name !== basename(coreFile)) return send(200, 'text/javascript', text)
      serving.coreRequests++
      if (serving.coreMissing) return send(404, 'text/plain', 'not found')
      setTimeout(() => send(200, 'text/javascript', text), serving.coreDelayMs)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => server?.close(r))
  })
  beforeEach(async () => {
    collector = await startCollector()
    Object.assign(serving, { coreDelayMs: 0, coreMissing: false, coreRequests: 0 })
  })
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.context().close()
    await collector.close()
  })

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext()
    const page = await context.newPage()
    pages.push(page)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${origin}/?http=${encodeURIComponent(collector.url)}`)
    return { page, errors }
  }

  it('keeps the core off what the page loads first (a chunk requested when the recorder is created)', () => {
    const outputs = bundle.metafile.outputs
    const first = firstLoad(outputs, entryFile)
    expect(first.has(coreFile)).toBe(false)
    const ours = (o: string) => Object.entries(outputs[o].inputs).filter(([i]) => i.includes('dist/')).reduce((n, [, v]) => n + v.bytesInOutput, 0)
    // The package's share of the first load (the app and Redux Toolkit aside), minified.
    const firstBytes = [...first].reduce((n, o) => n + ours(o), 0)
    expect(firstBytes).toBeLessThan(ours(coreFile))
    const coreText = bundle.files.get(coreFile)!
    expect(coreText).toContain('@@checkpoint')
    expect(gzipSync(coreText).length).toBeGreaterThan(8 * 1024)
  })

  it('records what the app did before the core arrived, delivers it to the collector, and the log verifies', async () => {
    serving.coreDelayMs = 400
    const { page, errors } = await open()
    const app = () => page.evaluate(() => {
      const a = (window as any).app
      return { early: a.early as string, ready: a.isReady() as boolean, session: a.recorder.session as string, faults: a.faults as string[] }
    })
    const before = await app()
    // The three actions at start ran against the shell: reading the log then said not-ready.
    expect(before.early).toBe('not-ready')
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.waitForFunction(() => (window as any).app.isReady(), undefined, { timeout: 20_000 })
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.evaluate(() => (window as any).app.recorder.flush())
    expect(serving.coreRequests).toBe(1)

    const { text } = assembleLog(collector.deliveries, before.session)
    const recording = parseRecording(text)
    expect(recording.warnings).toEqual([])
    expect(recording.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/toggled', 'todos/added', 'todos/added'])
    const result = replay(recording, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(true)
    expect(result.state).toEqual(await page.evaluate(() => (window as any).app.store.getState()))
    expect((await app()).faults).toEqual([])
    expect(errors).toEqual([])
  })

  it('a core chunk that cannot be loaded is one fault through onError; the app works on, unrecorded', async () => {
    serving.coreMissing = true
    const { page, errors } = await open()
    await page.waitForFunction(() => (window as any).app.faults.length > 0, undefined, { timeout: 20_000 })
    await page.getByRole('button', { name: 'Add todo' }).click()
    const after = await page.evaluate(async () => {
      const a = (window as any).app
      await a.recorder.ready()
      let read = ''
      try {
        a.recorder.snapshot()
      } catch (e) {
        read = (e as { code: string }).code
      }
      return { faults: a.faults as string[], ids: a.store.getState().todos.ids as string[], read }
    })
    expect(after.faults).toHaveLength(1)
    expect(after.faults[0]).toMatch(/^record-failed: .*core could not be loaded/)
    expect(after.ids).toEqual(['todo-1', 'todo-2', 'todo-3'])
    expect(after.read).toBe('core-failed')
    expect(errors).toEqual([])
    expect(collector.deliveries).toEqual([])
  })
})
