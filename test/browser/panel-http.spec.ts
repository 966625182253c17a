import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInChromium, launchChromium } from './chromium'
import { bundlePanelPage, panelPages, PLAIN_BODY, servePanelPage, type PanelServer } from './panelHarness'

describeInChromium('devtools panel: an httpSink whose server does not answer (Chromium)', () => {
  let browser: Browser | undefined
  let server: PanelServer | undefined
  /** The log server: down, it drops each request's connection (the page's fetch fails, as with a server that is gone). */
  let down = false
  let received = 0
  beforeAll(async () => {
    const flight = (req: IncomingMessage, res: ServerResponse) => {
      if (down) return req.socket.destroy()
      req.resume()
      req.on('end', () => {
        received++
        res.writeHead(204)
        res.end()
      })
    }
    ;[browser, server] = await Promise.all([
      launchChromium(),
      // (The entry is test/browser/panelHttpApp.ts, from the fixtures' folder.)
      bundlePanelPage('../../browser/panelHttpApp.ts').then((files) => servePanelPage(files, PLAIN_BODY, flight)),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  const { open, done } = panelPages(() => browser!)

  it('says in a status line that the server is not answering while lines wait and are retried, and clears it once they are delivered', async () => {
    const { page } = await open(server!)
    await page.getByRole('button', { name: 'Flight recorder', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Flight recorder' })
    const recording = dialog.getByRole('group', { name: 'Recording' })
    const notAnswering = recording.getByRole('status').filter({ hasText: 'not answering' })
    await page.getByRole('button', { name: 'Add todo' }).click()
    await expect.poll(() => received, { timeout: 10_000 }).toBeGreaterThan(0)
    expect(await notAnswering.count()).toBe(0)

    down = true
    await page.getByRole('button', { name: 'Add todo' }).click()
    await notAnswering.waitFor()
    expect(await notAnswering.textContent()).toMatch(/^The log server is not answering: \d+ chunks? \(.+\) waiting, sent again until it answers\.$/)

    down = false
    const before = received
    await notAnswering.waitFor({ state: 'detached' })
    expect(received).toBeGreaterThan(before)
    await done(page, /ERR_CONNECTION|ERR_EMPTY_RESPONSE|Failed to load resource|Failed to fetch/)
  })
})
