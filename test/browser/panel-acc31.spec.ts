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
import { toDevToolsExport } from 'redux-flight-recorder/devtools'
import { parseRecording } from 'redux-flight-recorder/replay'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { added, makeStore, rootReducer, toggled } from '../helpers/todoApp'
import { recordText } from '../helpers/recordText'
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

  it('says a Redux DevTools export loaded with "Load a file…" is one, and how to convert it', async () => {
    // The file Redux DevTools' Export button writes, of a session recorded in Node.
    const log = await recordText(rootReducer, (dispatch) => {
      dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
      dispatch(toggled('todo-1'))
    })
    const exported = JSON.stringify(toDevToolsExport(parseRecording(log)))
    const { page } = await open(plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), panel.getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name: 'dt.json', mimeType: 'application/json', buffer: Buffer.from(exported) })
    await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^dt\.json cannot be replayed/))
    expect(await verdictOf(panel).textContent()).toBe(
      'dt.json cannot be replayed: [redux-flight-recorder] Line 1 of the recording is not valid: expected the @@session header first. Instead, the first line looks like a Redux DevTools export: convert it with `flight-recorder convert <file> --from devtools` (or `fromDevToolsExport` from redux-flight-recorder/devtools).',
    )
    await done(page)
  })

  /** A log of a trimmed buffer whose seqs have five digits: 10,100 actions, the last ~300 kept. */
  function fiveDigitLog(): string {
    const recorder = createFlightRecorder({ maxEntries: 300 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
    for (let i = 1; i < 10_100; i++) store.dispatch(toggled('todo-1'))
    const log = recorder.toJSONL({ finalState: true })
    void recorder.close()
    return log
  }
  async function loadByPicker(page: Page, name: string, text: string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog(page).getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) })
  }
  /** How much of `el` the panel, its own scroller and the window leave out of view, in px (0: in full view). */
  const hiddenPx = async (el: Locator, scroller?: Locator) =>
    el.evaluate((node, list) => {
      const r = node.getBoundingClientRect()
      const boxes = [node.closest('.panel')!, ...(list ? [list as Element] : [])].map((b) => {
        const box = b.getBoundingClientRect()
        return { top: box.top + b.clientTop, bottom: box.top + b.clientTop + b.clientHeight }
      })
      boxes.push({ top: 0, bottom: window.innerHeight })
      return Math.max(0, ...boxes.map((b) => Math.max(b.top - r.top, r.bottom - b.bottom)))
    }, scroller ? await scroller.elementHandle() : null)

  it('brings the last row fully into view when End selects it in a step list of 5-digit seqs', async () => {
    const log = fiveDigitLog()
    const { page } = await open(plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await loadByPicker(page, 'five-digits.jsonl', log)
    await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^✓ Verified/))
    const list = panel.getByRole('listbox', { name: 'Steps' })
    // As the acceptance run did: the list scrolled into view, focused, then End.
    await list.scrollIntoViewIfNeeded()
    await list.focus()
    await page.keyboard.press('End')
    const selected = list.getByRole('option', { selected: true })
    await eventually(async () => expect(await selected.textContent()).toMatch(/^10100t10100/))
    await mkdir(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'acc31-end-five-digits.png') })
    expect(await hiddenPx(selected, list)).toBe(0)
    // Home brings the first row back, in full view too; the focus stays in the list.
    await page.keyboard.press('Home')
    await eventually(async () => expect(await selected.getAttribute('aria-posinset')).toBe('1'))
    expect(await hiddenPx(selected, list)).toBe(0)
    expect(await list.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
    await done(page)
  })

  it('keeps the "Copy as test" row and the filters apart, and the filters and the step buttons', async () => {
    const { page } = await open(plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await loadByPicker(page, 'five-digits.jsonl', fiveDigitLog())
    await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^✓ Verified/))
    const box = async (l: Locator) => (await l.boundingBox())!
    const download = await box(panel.getByRole('button', { name: 'Download this log' }))
    // The filter's visible label (its text), under the buttons.
    const label = await box(timelineOf(panel).getByText('Filter by action type', { exact: true }))
    const turn = await box(panel.getByRole('textbox', { name: 'Filter by turn' }))
    const start = await box(panel.getByRole('button', { name: 'Start' }))
    await panel.getByRole('button', { name: 'Download this log' }).scrollIntoViewIfNeeded()
    await mkdir(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'acc31-filters-gap.png') })
    expect(label.y - (download.y + download.height)).toBeGreaterThanOrEqual(6)
    expect(start.y - (turn.y + turn.height)).toBeGreaterThanOrEqual(6)
    await done(page)
  })

  it("brings the step's detail into view at 1280×800 when Left/Right step from the Timeline heading, the focus staying there", async () => {
    const { page } = await open(plain)
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await loadByPicker(page, 'five-digits.jsonl', fiveDigitLog())
    await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^✓ Verified/))
    const heading = timelineOf(panel).getByRole('heading', { name: 'Timeline' })
    const headingFocused = () => heading.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)
    expect(await headingFocused()).toBe(true)
    const detail = panel.getByRole('table', { name: 'Current step' })
    await page.keyboard.press('ArrowRight')
    await eventually(async () => expect(await detail.getByRole('row', { name: /^turn/ }).textContent()).toBe('turnt9809'))
    await mkdir(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'acc31-step-detail-800.png') })
    expect(await hiddenPx(detail)).toBe(0)
    expect(await hiddenPx(panel.getByRole('list', { name: 'State change' }))).toBe(0)
    expect(await headingFocused()).toBe(true)
    // Back to the start and on again: still in view, the focus still on the heading.
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await eventually(async () => expect(await detail.getByRole('row', { name: /^turn/ }).textContent()).toBe('turnt9810'))
    expect(await hiddenPx(detail)).toBe(0)
    expect(await headingFocused()).toBe(true)
    await done(page)
  })
})
