// Two stores, two recorders and two panels on one page (micro-frontends): with `label`, each
// launcher, dialog, heading and close button has a name of its own, which getByRole (and a screen
// reader) tells apart; without it, the names stay as on a page with one panel. Real Chromium.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInChromium, launchChromium } from './chromium'
import { repoRoot } from './harness'
import { bundlePanelPage, panelPages, PLAIN_BODY, servePanelPage, type PanelServer } from './panelHarness'

const artifacts = join(repoRoot, 'test-results/panel')

describeInChromium('two panels on one page (Chromium)', () => {
  let browser: Browser | undefined
  let server: PanelServer | undefined
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true })
    ;[browser, server] = await Promise.all([
      launchChromium(),
      // (The entry is test/browser/panelTwoAppsApp.ts, from the fixtures' folder.)
      bundlePanelPage('../../browser/panelTwoAppsApp.ts').then((files) => servePanelPage(files, PLAIN_BODY)),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  const { open, done } = panelPages(() => browser!)
  /** The "actions" figure of a dialog's recording indicator. */
  const actions = (dialog: Locator) => dialog.getByRole('group', { name: 'Recording' }).locator('div', { has: dialog.page().locator('dt', { hasText: /^actions$/ }) }).locator('dd')
  /** Records what the page warns (the panel's development warnings). */
  const WATCH_WARNINGS = 'window.__warnings = []; { const warn = console.warn; console.warn = (...a) => { window.__warnings.push(a.join(" ")); warn.apply(console, a) } }'
  const warnings = (page: Page) => page.evaluate(() => (window as unknown as { __warnings: string[] }).__warnings)
  const names = (page: Page, role: 'button' | 'dialog' | 'heading', name: RegExp) =>
    page.getByRole(role, { name }).evaluateAll((els) => els.map((el) => (el as HTMLElement).getAttribute('aria-label') ?? el.textContent))

  it("with `label`, each panel's launcher, dialog, heading and close button is named after it, and shows its own recorder", async () => {
    const { page } = await open(server!, '', { init: [WATCH_WARNINGS] })
    const shopLauncher = page.getByRole('button', { name: 'Flight recorder (shop@1.4.0)', exact: true })
    const checkoutLauncher = page.getByRole('button', { name: 'Flight recorder (checkout@2.0.1)', exact: true })
    await shopLauncher.waitFor()
    await checkoutLauncher.waitFor()
    expect(await page.getByRole('button', { name: 'Flight recorder', exact: true }).count()).toBe(0)
    // Names, corners and hotkeys of their own: nothing to warn about.
    expect(await warnings(page)).toEqual([])
    await page.screenshot({ path: join(artifacts, 'two-launchers.png'), animations: 'disabled' })

    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Add todo' }).click()
    await shopLauncher.click()
    await checkoutLauncher.click()
    const shop = page.getByRole('dialog', { name: 'Flight recorder (shop@1.4.0)', exact: true })
    const checkout = page.getByRole('dialog', { name: 'Flight recorder (checkout@2.0.1)', exact: true })
    await shop.waitFor()
    await checkout.waitFor()
    expect(await names(page, 'dialog', /^Flight recorder/)).toHaveLength(2)
    // The header shows the label (visible text, the dialog's name).
    expect(await shop.getByRole('heading', { level: 2 }).textContent()).toBe('Flight recorder (shop@1.4.0)')
    expect(await checkout.getByRole('heading', { level: 2 }).textContent()).toBe('Flight recorder (checkout@2.0.1)')
    expect(await shop.getByRole('heading', { level: 2 }).isVisible()).toBe(true)
    // Each shows its own recorder: the shop's three actions, none in checkout.
    await expect.poll(() => actions(shop).textContent()).toBe('3')
    expect(await actions(checkout).textContent()).toBe('0')
    await page.screenshot({ path: join(artifacts, 'two-panels.png'), animations: 'disabled' })

    // Closing one leaves the other open, by the close button's own name.
    await page.getByRole('button', { name: 'Close the flight recorder (checkout@2.0.1)', exact: true }).click()
    await checkout.waitFor({ state: 'hidden' })
    expect(await shop.isVisible()).toBe(true)
    expect(await checkoutLauncher.isVisible()).toBe(true)
    await shop.getByRole('button', { name: 'Close the flight recorder (shop@1.4.0)', exact: true }).click()
    await shop.waitFor({ state: 'hidden' })
    await done(page)
  })

  it('without `label`, the names are those of a page with one panel, and development says two panels share one', async () => {
    const { page } = await open(server!, 'labels=0', { init: [WATCH_WARNINGS] })
    const launchers = page.getByRole('button', { name: 'Flight recorder', exact: true })
    await launchers.first().waitFor()
    expect(await launchers.count()).toBe(2)
    // In development, the second panel mounted says why (its corner and hotkey are its own).
    expect(await warnings(page)).toEqual([
      "[redux-flight-recorder] mountFlightRecorderPanel: another flight recorder panel on this page has the same name (give each panel a `label` of its own, such as its recorder's `meta.app`).",
    ])
    await launchers.first().click()
    const dialog = page.getByRole('dialog', { name: 'Flight recorder', exact: true })
    await dialog.waitFor()
    expect(await dialog.getByRole('heading', { level: 2 }).textContent()).toBe('Flight recorder')
    expect(await dialog.getByRole('button', { name: 'Close the flight recorder', exact: true }).count()).toBe(1)
    await done(page)
  })
})
