import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { launchChromium } from './chromium'
import { bundleApp, serveApp, type AppBundle, type Served } from './harness'

export interface BrowserSuite {
  readonly browser: Browser
  readonly origin: string
  readonly bundle: AppBundle
  /** A fresh context (its own IndexedDB) and page at the app with these query parameters. */
  openApp(query?: Record<string, string | number>, context?: BrowserContext): Promise<Page>
  /** The app's URL with these query parameters. */
  appUrl(query?: Record<string, string | number>): string
  /**
   * The uncaught errors and unhandled rejections `page` has thrown so far, as messages; taking them
   * clears them. After each test, a page opened by `openApp` with errors nobody took fails the test.
   */
  takePageErrors(page: Page): string[]
}

/**
 * One Chromium, one bundle and one app server per spec file (they are the slow parts), closed after
 * the file. Call at the top of a `describeInChromium` block.
 */
export function setupBrowserSuite(): BrowserSuite {
  let browser: Browser | undefined
  let served: Served | undefined
  let bundle: AppBundle | undefined
  const contexts: BrowserContext[] = []
  const pageErrors = new Map<Page, string[]>()

  beforeAll(async () => {
    const [b, built] = await Promise.all([launchChromium(), bundleApp()])
    browser = b
    bundle = built
    served = await serveApp(built)
  })
  afterEach(() => {
    const unread = [...pageErrors.values()].flat()
    pageErrors.clear()
    if (unread.length > 0)
      throw new Error(`[redux-flight-recorder] Expected the app page to throw nothing the test did not expect, but it threw: ${unread.map((m) => JSON.stringify(m)).join(', ')}.`)
  })
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})))
    await browser?.close()
    await served?.close()
  })

  const suite: BrowserSuite = {
    get browser() {
      return browser!
    },
    get origin() {
      return served!.origin
    },
    get bundle() {
      return bundle!
    },
    appUrl(query = {}) {
      const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
      return `${served!.origin}/?${params}`
    },
    async openApp(query = {}, context) {
      let ctx = context
      if (!ctx) {
        ctx = await browser!.newContext({ acceptDownloads: true })
        contexts.push(ctx)
      }
      const page = await ctx.newPage()
      const errors: string[] = []
      pageErrors.set(page, errors)
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(suite.appUrl(query))
      await page.waitForFunction(() => document.title.endsWith('(ready)'))
      return page
    },
    takePageErrors(page) {
      const errors = pageErrors.get(page) ?? []
      return errors.splice(0)
    },
  }
  return suite
}
