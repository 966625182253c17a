// The panel as a keyboard-only acceptance tester used it (2026-12-05, second round; Chromium, 1280
// and 360 px wide): where the focus goes when a step button disables itself, what the sections'
// statuses say (a collector that went away, a refresh, a load, filters that match nothing), focus
// rings in the scrolling lists, the indicator's tiles and the lists at 360 px, this tab's stored
// size with two sinks, and a replay with nothing recorded. Real Chromium, roles and accessible names.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { added, makeStore, toggled } from '../helpers/todoApp'
import { describeInChromium, launchChromium } from './chromium'
import { repoRoot } from './harness'
import { PLAIN_BODY, bundlePanelPage, eventually, panelPages, postAs, servePanelPage, type PanelServer } from './panelHarness'

const artifacts = join(repoRoot, 'test-results/panel')
const ADMIN_TOKEN = 'panel-keyboard-admin-token'

/** A closed session of `n` actions recorded in Node. */
async function nodeSession(n: number): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], meta: { app: 'panel-keyboard' } })
  const store = makeStore(recorder)
  for (let i = 1; i <= n; i++) store.dispatch(i % 3 === 0 ? toggled('todo-1') : added({ id: `todo-${i}`, title: `Todo ${i}`, done: false }))
  await recorder.close()
  return sink.text()
}

describeInChromium('the panel by keyboard, at 1280 and 360 px', () => {
  let browser: Browser
  let plain: PanelServer
  let withCollector: PanelServer
  let twoSinks: PanelServer
  let sessionsDir: string
  /** The collector answers nothing (the connection is dropped): a collector that was stopped. */
  let collectorDown = false
  beforeAll(async () => {
    sessionsDir = await mkdtemp(join(tmpdir(), 'rfr-panel-keyboard-'))
    const collector = createCollector({ store: fileStore(sessionsDir), adminToken: ADMIN_TOKEN, basePath: '/flight' })
    const flight = (req: IncomingMessage, res: ServerResponse) => (collectorDown && req.method === 'GET' ? req.socket.destroy() : collector(req, res))
    ;[browser, [plain, withCollector], twoSinks] = await Promise.all([
      launchChromium(),
      bundlePanelPage('panelApp.ts').then((files) => Promise.all([servePanelPage(files, PLAIN_BODY), servePanelPage(files, PLAIN_BODY, flight as never)])),
      // (The entry is test/browser/panelTwoSinksApp.ts, from the fixtures' folder.)
      bundlePanelPage('../../browser/panelTwoSinksApp.ts').then((files) => servePanelPage(files, PLAIN_BODY)),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await plain?.close()
    await withCollector?.close()
    await twoSinks?.close()
    if (sessionsDir) await rm(sessionsDir, { recursive: true, force: true })
  })

  const { open, done } = panelPages(() => browser)
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  /** The accessible name (aria-label, else text) of the element focused in the panel, or the page's focused tag. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined
      return el ? `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent}` : `page ${document.activeElement?.tagName}`
    })
  async function loadByPicker(page: Page, name: string, text: string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog(page).getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) })
  }
  /** Stored sessions of earlier page loads (one action each), then this tab's. */
  async function storedSessions(page: Page, earlier: number): Promise<void> {
    for (let i = 0; i < earlier; i++) {
      await page.getByRole('button', { name: 'Add todo' }).click()
      await page.evaluate(() => (window as any).app.recorder.flush())
      await page.reload()
      await page.waitForSelector('html[data-ready="true"]')
    }
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.evaluate(() => (window as any).app.recorder.flush())
  }
  /**
   * Whether the focus ring of `el` (its border box grown by the outline's width and offset) is
   * inside the visible part of its closest scrolling ancestor, and shown (`:focus-visible`).
   */
  const ringInside = (el: Locator) =>
    el.evaluate((b) => {
      const style = getComputedStyle(b)
      const grow = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset)
      let box = b.parentElement!
      while (!/auto|scroll/.test(getComputedStyle(box).overflowY)) box = box.parentElement!
      const r = b.getBoundingClientRect()
      const s = box.getBoundingClientRect()
      const port = { left: s.left + box.clientLeft, top: s.top + box.clientTop, right: s.left + box.clientLeft + box.clientWidth, bottom: s.top + box.clientTop + box.clientHeight }
      return {
        visible: b.matches(':focus-visible') && style.outlineStyle !== 'none' && grow > 0,
        inside: r.left - grow >= port.left && r.top - grow >= port.top && r.right + grow <= port.right && r.bottom + grow <= port.bottom,
      }
    })

  it('keeps the focus in the panel when Forward, Back or Start disables itself on its own press, and the keys keep working', async () => {
    const { page } = await open(plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await loadByPicker(page, 'three.jsonl', await nodeSession(3))
    await eventually(async () => expect(await panel.locator('.summary').textContent()).toMatch(/^✓ Verified: 3 steps replayed/))
    const where = panel.getByText(/^(Start|Step \d+ of \d+) · /)
    const forward = panel.getByRole('button', { name: 'Forward', exact: true })
    await forward.focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('Enter')
    expect(await where.textContent()).toMatch(/^Step 3 of 3 /)
    expect(await forward.isDisabled()).toBe(true)
    // Forward disabled itself: the focus is on Back, and the panel's keys still step.
    expect(await focused(page)).toBe('BUTTON ◀ Back')
    await page.keyboard.press('ArrowLeft')
    expect(await where.textContent()).toMatch(/^Step 2 of 3 /)
    await page.keyboard.press('Enter') // Back
    await page.keyboard.press('Enter') // Back, to the start: Back disables itself
    expect(await where.textContent()).toMatch(/^Start · 3 steps/)
    expect(await focused(page)).toBe('BUTTON Forward ▶')
    await page.keyboard.press('ArrowRight')
    expect(await where.textContent()).toMatch(/^Step 1 of 3 /)
    // Start, to the start: it disables itself too.
    await panel.getByRole('button', { name: 'Start', exact: true }).focus()
    await page.keyboard.press('Enter')
    expect(await where.textContent()).toMatch(/^Start · 3 steps/)
    expect(await focused(page)).toBe('BUTTON Forward ▶')
    // Escape still closes the panel, and the focus goes back to the page's launcher.
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await panel.isVisible()).toBe(false))
    await done(page)
  })

  it("says in the section's status that the collector could not be listed, in place of what it said before, and what a refresh found", async () => {
    const id = `kbd-${Date.now()}`
    await postAs(withCollector.origin, id, await nodeSession(3))
    const { page } = await open(withCollector, `collector=${ADMIN_TOKEN}`)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const status = (name: string) => panel.getByRole('region', { name }).getByRole('status')
    await panel.getByRole('button', { name: `Open collector session ${id}`, exact: true }).click()
    await eventually(async () => expect(await status('Collector sessions').textContent()).toBe(`Opened session ${id} from the collector.`))

    collectorDown = true
    try {
      await panel.getByRole('button', { name: 'Refresh the collector list' }).focus()
      await page.keyboard.press('Enter')
      await eventually(async () => expect(await status('Collector sessions').textContent()).toMatch(/^Cannot list the collector's sessions: Failed to fetch/))
      expect(await panel.getByRole('list', { name: 'Collector sessions' }).getByRole('button').count()).toBe(0)
    } finally {
      collectorDown = false
    }
    await page.keyboard.press('Enter')
    await eventually(async () => expect(await status('Collector sessions').textContent()).toMatch(/^Listed \d+ sessions? from the collector\.$/))
    expect(await panel.getByRole('button', { name: `Open collector session ${id}`, exact: true }).count()).toBe(1)
    await done(page, /Failed to load resource|ERR_EMPTY_RESPONSE/)
  })

  it('says under the stored sessions what "Refresh the list" found and which session "Open" opened', async () => {
    const { page } = await open(plain, `idb=kbd-status-${Date.now()}`)
    await storedSessions(page, 1)
    const mine = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const status = (name: string) => panel.getByRole('region', { name }).getByRole('status')
    await panel.getByRole('button', { name: 'Refresh the list' }).click()
    await eventually(async () => expect(await status('Stored sessions').textContent()).toBe('Listed 2 stored sessions.'))
    await panel.getByRole('button', { name: `Open session ${mine}`, exact: true }).click()
    await eventually(async () => expect(await status('Stored sessions').textContent()).toBe(`Opened stored session ${mine}.`))
    await eventually(async () => expect(await panel.locator('.summary').textContent()).toMatch(/^✓ Verified: 1 step/))
    await done(page)
  })

  it("says that this tab's session has nothing to verify before anything was recorded (no ✓ Verified)", async () => {
    const { page } = await open(plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await eventually(async () => expect(await panel.locator('.summary').textContent()).toMatch(/^⚠ Nothing to verify yet: /))
    expect(await panel.locator('.summary').getAttribute('class')).toBe('summary warn')
    await done(page)
  })

  it('says in a live region when the filters match no step', async () => {
    const { page } = await open(plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const timeline = panel.getByRole('region', { name: 'Timeline' })
    await loadByPicker(page, 'three.jsonl', await nodeSession(3))
    await eventually(async () => expect(await panel.locator('.summary').textContent()).toMatch(/^✓ Verified: 3 steps replayed/))
    expect(await timeline.getByRole('status').filter({ hasText: 'No step matches the filters.' }).count()).toBe(0)
    await panel.getByRole('textbox', { name: 'Filter by turn' }).fill('t999')
    await eventually(async () => expect(await timeline.getByRole('status').filter({ hasText: 'No step matches the filters.' }).count()).toBe(1))
    await panel.getByRole('textbox', { name: 'Filter by turn' }).fill('')
    await eventually(async () => expect(await timeline.getByRole('status').filter({ hasText: 'No step matches the filters.' }).count()).toBe(0))
    await done(page)
  })

  for (const width of [1280, 360]) {
    it(`shows the focus ring of a row's buttons whole in the scrolling stored list, at ${width} px`, async () => {
      const { page } = await open(plain, `idb=kbd-ring-${width}-${Date.now()}`)
      await page.setViewportSize({ width, height: 800 })
      await storedSessions(page, 9)
      await page.keyboard.press('Control+Shift+F')
      const panel = dialog(page)
      const list = panel.getByRole('list', { name: 'Stored sessions' })
      await eventually(async () => expect(await list.getByRole('listitem').count()).toBe(10))
      // The list scrolls (the rows do not fit its box).
      expect(await list.evaluate((ul) => ul.scrollHeight > ul.clientHeight)).toBe(true)
      // The first Delete, then the last (the list scrolls to it), by keyboard (this tab's row has none).
      const deletes = list.getByRole('button', { name: /^Delete session / })
      for (const [which, del] of [['first', deletes.first()], ['last', deletes.last()]] as const) {
        const name = (await del.getAttribute('aria-label'))!
        // By keyboard: Tab from the row's Download button (a ring shows for keyboard focus).
        await del.locator('xpath=preceding-sibling::button[1]').focus()
        await page.keyboard.press('Tab')
        expect(await focused(page)).toBe(`BUTTON ${name}`)
        expect(await ringInside(del)).toEqual({ visible: true, inside: true })
        await page.keyboard.press('Enter')
        const confirm = panel.getByRole('button', { name: name.replace('Delete session', 'Confirm delete session'), exact: true })
        expect(await confirm.textContent()).toBe('Confirm delete')
        expect(await ringInside(confirm)).toEqual({ visible: true, inside: true })
        await mkdir(artifacts, { recursive: true })
        await panel.getByRole('region', { name: 'Stored sessions' }).screenshot({ path: join(artifacts, `keyboard-ring-${width}-${which}.png`), animations: 'disabled' })
      }
      await done(page)
    })
  }

  it("fits the indicator's tiles in the panel at 360 px, with five-digit counts", async () => {
    const { page } = await open(plain)
    await page.setViewportSize({ width: 360, height: 800 })
    await page.evaluate(() => {
      const { store } = (window as any).app
      for (let i = 0; i < 10_000; i++) store.dispatch({ type: 'todos/toggled', payload: 'none' })
    })
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const tileBoxes = panel.getByRole('group', { name: 'Recording' }).locator('dl > div')
    await eventually(async () => expect(await tileBoxes.nth(1).textContent()).toBe('actions10000'))
    // Every tile of the indicator (and its text) inside the panel's box.
    const tiles = await tileBoxes.evaluateAll((divs) => {
      const p = divs[0].closest('.panel')!
      const box = p.getBoundingClientRect()
      const right = box.left + p.clientLeft + p.clientWidth
      return divs.map((d) => ({ text: d.textContent, fits: d.getBoundingClientRect().right <= right && d.scrollWidth <= d.clientWidth }))
    })
    expect(tiles).toEqual(['entries', 'actions', 'turns', 'bytes', 'dropped', 'sink errors'].map((label) => ({ text: expect.stringMatching(new RegExp(`^${label}`)), fits: true })))
    await mkdir(artifacts, { recursive: true })
    await panel.getByRole('group', { name: 'Recording' }).screenshot({ path: join(artifacts, 'keyboard-360-tiles.png'), animations: 'disabled' })
    await done(page)
  })

  it('shows several whole stored rows at 360 px', async () => {
    const { page } = await open(plain, `idb=kbd-narrow-${Date.now()}`)
    await page.setViewportSize({ width: 360, height: 800 })
    await storedSessions(page, 5)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const list = panel.getByRole('list', { name: 'Stored sessions' })
    await eventually(async () => expect(await list.getByRole('listitem').count()).toBe(6))
    // At least three whole rows show in the list's box.
    const shown = await list.evaluate((ul) => {
      const port = ul.getBoundingClientRect()
      return [...ul.children].filter((li) => li.getBoundingClientRect().bottom <= port.top + ul.clientHeight).length
    })
    expect(shown).toBeGreaterThanOrEqual(3)
    await mkdir(artifacts, { recursive: true })
    await panel.screenshot({ path: join(artifacts, 'keyboard-360-open.png'), animations: 'disabled' })
    await done(page)
  })

  it("shows this tab's stored size as the database holds it, not the bytes handed to every sink", async () => {
    // Two sinks that both take every line: stats().bytes counts what each was handed (twice the log).
    const { page } = await open(twoSinks, `idb=kbd-size-${Date.now()}`)
    for (let i = 0; i < 20; i++) await page.getByRole('button', { name: 'Add todo' }).click()
    await page.evaluate(() => (window as any).app.recorder.flush())
    const mine = await page.evaluate(() => (window as any).app.recorder.session as string)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const row = panel.getByRole('list', { name: 'Stored sessions' }).getByRole('listitem').filter({ hasText: mine })
    await eventually(async () => expect(await row.textContent()).toContain('20 actions'))
    // After the indicator's updates (every 500 ms) the row still says what is stored.
    await page.waitForTimeout(1200)
    const handed = await page.evaluate(() => (window as any).app.recorder.stats().bytes as number)
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: `Download session ${mine}`, exact: true }).click()])
    const stored = (await import('node:fs')).statSync((await download.path())!).size
    const kB = (n: number) => `${(n / 1000).toFixed(1)}\u00a0kB`
    expect(handed).toBeGreaterThan(1.5 * stored)
    expect(await row.textContent()).not.toContain(kB(handed))
    const said = Number(/· ([\d.]+)\u00a0kB stored when listed · this tab/.exec((await row.textContent())!)?.[1])
    expect(Math.abs(said * 1000 - stored)).toBeLessThan(0.1 * stored)
    await done(page)
  })
})
