// recordPageLifecycle in a dedicated module worker, where the store runs off the main thread (a
// supported setup). A worker has no window or document, so it used to do nothing and say nothing;
// its global scope has `error` and `unhandledrejection`: those are recorded as on a page, and in
// development it says once that a worker has no page lifecycle (`pagehide`, `visibilitychange`).
// Real Chromium; the worker bundled from the built package as a user's bundler would.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { parseRecording } from 'redux-flight-recorder/replay'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInChromium, launchChromium } from './chromium'
import { bundleApp } from './harness'

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Worker app</title></head><body>
<script type="module">
const worker = new Worker('/worker.js', { type: 'module' })
let next = 0
const waiting = new Map()
window.pageErrors = []
worker.onerror = (e) => window.pageErrors.push(e.message)
window.ready = new Promise((resolve) => {
  worker.onmessage = (e) => {
    if (e.data.ready) return resolve()
    waiting.get(e.data.id)?.(e.data.result)
    waiting.delete(e.data.id)
  }
})
window.ask = (cmd) => new Promise((resolve) => { const id = next++; waiting.set(id, resolve); worker.postMessage({ id, cmd }) })
</script></body></html>`

describeInChromium('recordPageLifecycle in a Web Worker (Chromium)', () => {
  let browser: Browser
  let server: Server
  let origin = ''
  beforeAll(async () => {
    const [b, bundle] = await Promise.all([launchChromium(), bundleApp('workerApp.ts')])
    browser = b
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      const [type, body] = path === '/worker.js' ? ['text/javascript', bundle.js] : path === '/' ? ['text/html', PAGE] : ['text/plain', 'not found']
      res.writeHead(body === 'not found' ? 404 : 200, { 'content-type': type, 'cache-control': 'no-store' })
      res.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (server ? (server.close(() => resolve()), server.closeAllConnections()) : resolve()))
  })

  async function openWorker(): Promise<{ page: Page; ask: (cmd: string) => Promise<any> }> {
    const page = await browser.newPage()
    await page.goto(origin)
    await page.evaluate(() => (window as any).ready)
    return { page, ask: (cmd: string) => page.evaluate((c) => (window as any).ask(c), cmd) }
  }
  const waitForErrors = async (ask: (cmd: string) => Promise<any>, n: number) => {
    await expect.poll(() => ask('errors'), { timeout: 10_000 }).toBe(n)
  }

  it("records the worker's uncaught errors and unhandled rejections between its actions, with message and stack", async () => {
    const { page, ask } = await openWorker()
    await ask('inc')
    await ask('throw')
    await waitForErrors(ask, 1)
    await ask('inc')
    await ask('reject')
    await waitForErrors(ask, 2)
    await ask('inc')
    const recording = parseRecording(await ask('jsonl'))
    expect(recording.entries.map((e) => (e.kind === '@@lifecycle' ? `@@lifecycle:${(e.body as { event: string }).event}` : e.kind))).toEqual([
      'inc',
      '@@lifecycle:error',
      'inc',
      '@@lifecycle:unhandledrejection',
      'inc',
    ])
    const [error, rejection] = recording.entries.filter((e) => e.kind === '@@lifecycle')
    expect(error).toMatchObject({ turn: null, body: { event: 'error', name: 'Error', message: 'Thrown in the worker', source: `${origin}/worker.js` } })
    expect((error.body as { stack: string }).stack).toContain('Error: Thrown in the worker')
    expect((error.body as { line: number }).line).toBeGreaterThan(0)
    expect(rejection.body).toMatchObject({ event: 'unhandledrejection', name: 'TypeError', message: 'Nobody handles this rejection in the worker' })
    expect((rejection.body as { stack: string }).stack).toContain('TypeError: Nobody handles this rejection in the worker')
    // The worker handled them itself (preventDefault): the page saw none.
    expect(await page.evaluate(() => (window as any).pageErrors)).toEqual([])
    await page.close()
  })

  it('says once, in development, that a worker has no page lifecycle; stopped, it records no more', async () => {
    const { page, ask } = await openWorker()
    await ask('again')
    const said = (await ask('warnings')) as string[]
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/^\[redux-flight-recorder\] recordPageLifecycle in a worker records/)
    expect(said[0]).toContain('`pagehide`, `visibilitychange`')
    expect(said[0]).toContain('flushSync()')
    await ask('stop')
    await ask('throw')
    await waitForErrors(ask, 1)
    expect(parseRecording(await ask('jsonl')).entries).toEqual([])
    await page.close()
  })
})
