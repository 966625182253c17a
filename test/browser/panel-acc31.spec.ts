// The panel as the session-31 acceptance run found it (a React + RTK Query app built with Vite, real
// Chromium): "Replay this tab's session" on a trimmed buffer said "✓ Verified" and never that the
// session's first entries are not in the log; a Redux DevTools export loaded in "Load a file…" failed
// with "the first line has no `kind`" and did not say to convert it; in the step list with 5-digit
// seqs End did not bring the last row fully into view; the "Copy as test / Download this log" row
// sat on the "Filter by action type" label; and stepping left the step detail below the fold at
// 1280×800. Real Chromium, roles and accessible names; screenshots in test-results/panel.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { createFlightRecorder } from 'redux-flight-recorder'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { added, makeStore, toggled } from '../helpers/todoApp'
import { describeInChromium, launchChromium } from './chromium'
import { repoRoot } from './harness'
import { PLAIN_BODY, bundlePanelPage, eventually, panelPages, servePanelPage, type PanelServer } from './panelHarness'

const artifacts = join(repoRoot, 'test-results/panel')

describeInChromium('the panel, as the session-31 acceptance run found it', () => {
  let browser: Browser
  let plain: PanelServer
  let trimmed: PanelServer
  beforeAll(async () => {
    ;[browser, plain, trimmed] = await Promise.all([
      launchChromium(),
      bundlePanelPage('panelApp.ts').then((files) => servePanelPage(files, PLAIN_BODY)),
      // (The entry is test/browser/panelTrimmedApp.ts, from the fixtures' folder.)
      bundlePanelPage('../../browser/panelTrimmedApp.ts').then((files) => servePanelPage(files, PLAIN_BODY)),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await plain?.close()
    await trimmed?.close()
  })
  const { open, done } = panelPages(() => browser)
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  const timelineOf = (panel: Locator) => panel.getByRole('region', { name: 'Timeline' })
  const verdictOf = (panel: Locator) => timelineOf(panel).getByRole('status').first()

  it("says, replaying this tab's trimmed buffer, that the session's first entries are not in the log", async () => {
    const { page } = await open(trimmed)
    // 150 actions into a 40-entry buffer: the log read from it starts past seq 100.
    await page.evaluate(() => (window as any).app.dispatchMany(150))
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^✓ Verified: \d+ steps replayed/))
    const header = await page.evaluate(() => {
      const log = (window as any).app.recorder.toJSONL() as string
      return JSON.parse(log.slice(0, log.indexOf('\n'))) as { from_seq: number; trimmed: number }
    })
    expect(header.from_seq).toBeGreaterThan(100)
    // verify's words (`note: the log starts at seq …`), in the verdict's live region.
    expect(await verdictOf(panel).textContent()).toContain(
      `The log starts at seq ${header.from_seq}, from the state there: the session's first ${header.from_seq - 1} entries are not in it (the recorder's bounded buffer had let ${header.trimmed} entries go).`,
    )
    await done(page)
  })
})
