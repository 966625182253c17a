// The panel as an acceptance tester used it (2026-12-05): a long collector list, this tab's stored
// row while the panel stays open, dates in the browser's locale, steps after a gap, visible filter
// labels, the launcher's alert, download names, the step buttons' names and where the focus goes.
// Real Chromium, roles and accessible names, as in ./panel.spec.ts.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { createFlightRecorder, memorySink, type ActionEntry, type Recording } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'
import { expect, it } from 'vitest'
import { added, makeStore, renamed, toggled } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { repoRoot } from './harness'
import { panelSuite, flushAndReload, postAs, eventually } from './panelHarness'

const artifacts = join(repoRoot, 'test-results/panel')
const ADMIN_TOKEN = 'panel-findings-admin-token'
const actions = (r: Recording) => r.entries.filter((e): e is ActionEntry => 'action' in e)

/** A session recorded in Node; `close`: ended with @@end (else flushed only: no full state at its end). */
async function nodeSession(close = true, checkpointEvery = 5): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery, meta: { app: 'panel-findings' } })
  const store = makeStore(recorder)
  for (let i = 1; i <= 4; i++) store.dispatch(added({ id: `todo-${i}`, title: `Todo ${i}`, done: false }))
  store.dispatch(toggled('todo-1'))
  store.dispatch(renamed({ id: 'todo-3', title: 'Renamed' }))
  store.dispatch(toggled('todo-2'))
  store.dispatch(toggled('todo-1'))
  if (close) await recorder.close()
  else await recorder.flush()
  return sink.text()
}

/** WCAG's contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => {
      const x = Number(v) / 255
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

describeInChromium('the panel, as an acceptance tester used it', () => {
  const suite = panelSuite('panel-findings', ADMIN_TOKEN)
  const { open, done } = suite
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  const summaryOf = (panel: Locator) => panel.locator('.summary')
  /** The accessible name (aria-label, else text) of the element focused in the panel. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined
      return el ? `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent}` : null
    })
  async function loadByPicker(page: Page, name: string, text: string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog(page).getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) })
  }

  it('lists the newest 25 collector sessions, and shows more on request with the focus on the first one added', async () => {
    const log = await nodeSession()
    const stamp = Date.now()
    const ids = Array.from({ length: 30 }, (_, i) => `many-${stamp}-${String(i).padStart(2, '0')}`)
    // One at a time: each is written after the one before, so the newest is the last. (A file's
    // mtime is as coarse as the kernel's clock tick, up to 10 ms: two batches stored within one
    // tick have the same time, and the collector orders those by id.)
    for (const id of ids) {
      await postAs(suite.withCollector.origin, id, log)
      await new Promise((r) => setTimeout(r, 12))
    }
    const newest = [...ids].reverse()
    const { page } = await open(suite.withCollector, `collector=${ADMIN_TOKEN}`)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const list = panel.getByRole('list', { name: 'Collector sessions' })
    await list.getByRole('listitem').filter({ hasText: newest[0] }).waitFor()
    expect(await list.getByRole('listitem').count()).toBe(25)
    expect(await list.locator('code').allTextContents()).toEqual(newest.slice(0, 25))
    expect(await panel.getByText('The 25 most recently written are shown.').isVisible()).toBe(true)
    const more = panel.getByRole('button', { name: 'Show more sessions' })
    await mkdir(artifacts, { recursive: true })
    await panel.getByRole('region', { name: 'Collector sessions' }).screenshot({ path: join(artifacts, 'findings-collector-25.png'), animations: 'disabled' })

    // By keyboard: the button, Enter, and the focus is on the first session added.
    await more.focus()
    await page.keyboard.press('Enter')
    await eventually(async () => expect(await list.getByRole('listitem').count()).toBe(30))
    expect(await list.locator('code').allTextContents()).toEqual(newest)
    await eventually(async () => expect(await focused(page)).toBe(`BUTTON Open collector session ${newest[25]}`))
    expect(await more.isVisible()).toBe(false)
    expect(await panel.getByText('The 25 most recently written are shown.').count()).toBe(0)
    await done(page)
  })

  it("lists this tab's session when the panel is opened as the page starts (before its first write), without \"Refresh the list\"", async () => {
    // The sink's database opens slowly (a busy device): the panel lists before the session is
    // registered. (The first indexedDB.open of the page, the sink's, answers 3 s late.)
    const slowFirstOpen = `{
      const open = indexedDB.open.bind(indexedDB)
      let first = true
      indexedDB.open = (...args) => {
        const request = open(...args)
        if (!first) return request
        first = false
        request.addEventListener('success', (event) => {
          if (event.__late) return
          event.stopImmediatePropagation()
          setTimeout(() => { const again = new Event('success'); again.__late = true; request.dispatchEvent(again) }, 3000)
        }, { capture: true })
        return request
      }
    }`
    const { page } = await open(suite.plain, `idb=early-row-${Date.now()}&openAtStart=1`, { init: [slowFirstOpen] })
    const mine: string = await page.evaluate(() => (window as any).app.recorder.session)
    const list = dialog(page).getByRole('list', { name: 'Stored sessions' })
    await list.getByText('No stored sessions yet.').waitFor()
    await page.getByRole('button', { name: 'Add todo' }).click()
    await eventually(async () => expect(await list.getByRole('listitem').filter({ hasText: mine }).textContent()).toContain('1 action · '))
    expect(await list.getByText('No stored sessions yet.').count()).toBe(0)
    await done(page)
  })

  it('says the stored sessions cannot be read when IndexedDB never opens (Safari\'s first-open hang), not an empty list', async () => {
    // (Acceptance, helper-163: the stored-sessions area stayed empty, with no status, for ever.)
    const neverOpens = `IDBFactory.prototype.open = function () { const r = new EventTarget(); r.readyState = 'pending'; return r }`
    const { page } = await open(suite.plain, `idb=never-${Date.now()}&openAtStart=1`, { init: [neverOpens] })
    const region = dialog(page).getByRole('region', { name: 'Stored sessions' })
    await eventually(async () => expect(await region.getByRole('status').first().textContent()).toMatch(/^Cannot read the stored sessions: .*IndexedDB did not open within 5 s; nothing can be loaded\.$/))
    expect(await region.getByRole('list', { name: 'Stored sessions' }).textContent()).toBe('The list could not be read (below).')
    await done(page)
  })

  it("keeps this tab's stored row up to date while the panel is open, and loads what is stored when pressed", async () => {
    const { page } = await open(suite.plain, `idb=live-row-${Date.now()}`)
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.evaluate(() => (window as any).app.recorder.flush())
    const mine: string = await page.evaluate(() => (window as any).app.recorder.session)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const row = panel.getByRole('list', { name: 'Stored sessions' }).getByRole('listitem').filter({ hasText: mine })
    await eventually(async () => expect(await row.textContent()).toContain('1 action '))
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Add todo' }).click()
    await page.getByRole('button', { name: 'Toggle first' }).click()
    // The indicator and the row agree, without "Refresh the list".
    await eventually(async () => expect(await row.textContent()).toContain('5 actions'))
    await mkdir(artifacts, { recursive: true })
    await panel.getByRole('region', { name: 'Stored sessions' }).screenshot({ path: join(artifacts, 'findings-this-tab-row.png'), animations: 'disabled' })
    await panel.getByRole('button', { name: `Open session ${mine}`, exact: true }).click()
    await eventually(async () => expect(await summaryOf(panel).textContent()).toMatch(/^✓ Verified: 5 steps replayed/))
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: `Download session ${mine}`, exact: true }).click()])
    expect(actions(parseRecording(await readFile((await download.path())!, 'utf8'))).length).toBe(5)
    await done(page)
  })

  it("writes session times in the browser's locale", async () => {
    const expected = { 'en-US': /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d\s[AP]M · /, 'de-DE': /^\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d · / }
    for (const [locale, pattern] of Object.entries(expected)) {
      const { page } = await open(suite.plain, `idb=locale-${Date.now()}`, { locale })
      await page.getByRole('button', { name: 'Add todo' }).click()
      await page.evaluate(() => (window as any).app.recorder.flush())
      await page.keyboard.press('Control+Shift+F')
      const details = dialog(page).getByRole('list', { name: 'Stored sessions' }).getByRole('listitem').first().locator('.details')
      await details.waitFor()
      expect(await details.textContent(), locale).toMatch(pattern)
      await done(page)
    }
  })

  it('lists the steps after a gap that replay did not reach, as not replayed', async () => {
    // No full state after the gap (no checkpoint, no @@end): replay cannot resume.
    const log = await nodeSession(false, 1000)
    const all = actions(parseRecording(log))
    const gapped = log.split('\n').filter((l) => !/^\{"seq":3,/.test(l)).join('\n')
    const { page } = await open(suite.plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await loadByPicker(page, 'gapped.jsonl', gapped)
    const summary = summaryOf(panel)
    await eventually(async () => expect(await summary.textContent()).toMatch(/^⚠ Not fully verified: replayed 2 steps, 2 of them matching their recorded state hash\. Incomplete: Entry 3 is missing/))
    expect(await summary.textContent()).toContain('The timeline lists the 5 steps after missing entries that replay did not reach, not checked.')
    const steps = panel.getByRole('listbox', { name: 'Steps' })
    expect(await steps.getByRole('option').count()).toBe(all.length - 1)
    expect(await steps.getByRole('option').last().getByLabel('not checked, not replayed').count()).toBe(1)
    await steps.focus()
    await page.keyboard.press('End')
    const last = all[all.length - 1]
    await eventually(async () => expect(await panel.getByText(/^Step \d+ of/).textContent()).toBe(`Step ${all.length - 1} of ${all.length - 1} · seq ${last.seq}`))
    const cells = await panel.getByRole('table', { name: 'Current step' }).getByRole('cell').allTextContents()
    expect(cells.slice(1)).toEqual([last.turn, last.hash, '–', '– not checked (not replayed: entries before it are missing, and replay resumes at the next full state)'])
    expect(await panel.getByRole('list', { name: 'State change' }).textContent()).toBe('not replayed (entries before it are missing)')
    await mkdir(artifacts, { recursive: true })
    await panel.getByRole('region', { name: 'Timeline' }).screenshot({ path: join(artifacts, 'findings-gap.png'), animations: 'disabled' })
    await done(page)
  })

  it('labels the filters visibly, with placeholders of 4.5:1 contrast', async () => {
    const { page } = await open(suite.plain)
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    const turn = panel.getByRole('textbox', { name: 'Filter by turn' })
    await turn.waitFor()
    for (const name of ['Filter by turn', 'Filter by action type']) expect(await panel.getByText(name, { exact: true }).isVisible(), name).toBe(true)
    expect(await panel.getByRole('combobox', { name: 'Filter by action type' }).isVisible()).toBe(true)
    const [fg, bg] = await turn.evaluate((el) => [getComputedStyle(el, '::placeholder').color, getComputedStyle(el).backgroundColor])
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5)
    await done(page)
  })

  it('keeps the launcher in its corner when it says the panel could not load', async () => {
    for (const position of ['bottom-right', 'top-left']) {
      const { page } = await open(suite.plain, `position=${position}`)
      await page.route(/panel-ui/, (route) => route.fulfill({ status: 404, body: 'not found' }))
      const launcher = page.getByRole('button', { name: 'Flight recorder', exact: true })
      const before = await launcher.boundingBox()
      await launcher.click()
      const alert = page.getByRole('alert')
      await alert.waitFor()
      expect(await launcher.boundingBox(), position).toEqual(before)
      // The alert is on the page, beside the launcher, not over it.
      const box = (await alert.boundingBox())!
      expect(box.y + box.height <= before!.y || box.y >= before!.y + before!.height, position).toBe(true)
      expect(box.x >= 0 && box.x + box.width <= 1280, position).toBe(true)
      await mkdir(artifacts, { recursive: true })
      await page.screenshot({ path: join(artifacts, `findings-launcher-alert-${position}.png`) })
      await done(page, /Failed to load resource: .*404/)
    }
  })

  it("names the snapshot of this tab's session apart from the stored session's download", async () => {
    const { page } = await open(suite.plain, `idb=names-${Date.now()}`)
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.evaluate(() => (window as any).app.recorder.flush())
    const mine: string = await page.evaluate(() => (window as any).app.recorder.session)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const [stored] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: `Download session ${mine}`, exact: true }).click()])
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await eventually(async () => expect(await summaryOf(panel).textContent()).toMatch(/^✓ Verified: 1 steps replayed/))
    const [snapshot] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download this log' }).click()])
    expect(stored.suggestedFilename()).toBe(`session-${mine}.jsonl`)
    expect(snapshot.suggestedFilename()).toBe(`session-${mine}-snapshot.jsonl`)
    await done(page)
  })

  it('says what a control did in its own section, under it: opening a collector session, confirming a delete', async () => {
    const log = await nodeSession()
    const id = `status-${Date.now()}`
    await postAs(suite.withCollector.origin, id, log)
    const { page } = await open(suite.withCollector, `idb=status-${Date.now()}&collector=${ADMIN_TOKEN}`)
    // An earlier session of this tab, to delete.
    await page.getByRole('button', { name: 'Add todo' }).click()
    const earlier = await flushAndReload(page)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const region = (name: string) => panel.getByRole('region', { name })
    await panel.getByRole('button', { name: `Open collector session ${id}`, exact: true }).click()
    await eventually(async () => expect(await region('Collector sessions').getByRole('status').textContent()).toBe(`Opened session ${id} from the collector.`))
    await panel.getByRole('button', { name: `Delete session ${earlier}`, exact: true }).click()
    await eventually(async () => expect(await region('Stored sessions').getByRole('status').textContent()).toContain(`Press again to delete session ${earlier}`))
    // Nothing said under "Report a problem", which did nothing.
    expect(await region('Report a problem').getByRole('status').textContent()).toBe('')
    // Under the list whose button was pressed.
    const list = (await panel.getByRole('list', { name: 'Stored sessions' }).boundingBox())!
    const said = (await region('Stored sessions').getByRole('status').boundingBox())!
    expect(said.y).toBeGreaterThanOrEqual(list.y + list.height)
    await page.setViewportSize({ width: 1280, height: 1600 })
    await mkdir(artifacts, { recursive: true })
    await panel.screenshot({ path: join(artifacts, 'findings-status-in-place.png'), animations: 'disabled' })
    await done(page)
  })

  it("says so in place when this tab's recorder has no log to give (disabled): Report a problem keeps the note", async () => {
    const { page } = await open(suite.plain, 'enabled=0')
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const region = (name: string) => panel.getByRole('region', { name })
    // The header does not say "recording" for a recorder that records nothing.
    await panel.getByText('not recording', { exact: true }).waitFor()
    expect(await panel.getByText('recording', { exact: true }).count()).toBe(0)
    await panel.getByRole('textbox', { name: 'What went wrong?' }).fill('the total is wrong')
    await panel.getByRole('button', { name: 'Report a problem' }).click()
    await eventually(async () => expect(await region('Report a problem').getByRole('status').textContent()).toMatch(/^This tab's session cannot be read: .*enabled: false/))
    expect(await panel.getByRole('textbox', { name: 'What went wrong?' }).inputValue()).toBe('the total is wrong')
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await eventually(async () => expect(await region('Replay a session').getByRole('status').textContent()).toMatch(/^This tab's session cannot be read: /))
    await mkdir(artifacts, { recursive: true })
    await panel.screenshot({ path: join(artifacts, 'findings-no-log.png'), animations: 'disabled' })
    // No uncaught error (done() checks the page's errors).
    await done(page)
  })

  it('names the step buttons Back and Forward, and moves the focus to the timeline when a session is loaded', async () => {
    const log = await nodeSession()
    const id = `focus-${Date.now()}`
    await postAs(suite.withCollector.origin, id, log)
    const { page } = await open(suite.withCollector, `collector=${ADMIN_TOKEN}`)
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await eventually(async () => expect(await focused(page)).toBe('H3 Timeline'))
    for (const name of ['Start', 'Back', 'Forward']) expect(await panel.getByRole('button', { name, exact: true }).count(), name).toBe(1)
    expect(await panel.getByRole('button', { name: 'Forward', exact: true }).textContent()).toBe('Forward ▶')

    await panel.getByRole('button', { name: `Open collector session ${id}`, exact: true }).click()
    await eventually(async () => expect(await panel.locator('code.source').textContent()).toBe(`collector-${id}.jsonl`))
    expect(await focused(page)).toBe('H3 Timeline')
    // The heading is in view (the panel scrolled to it).
    const heading = panel.getByRole('heading', { name: 'Timeline' })
    expect(await heading.evaluate((el) => {
      const r = el.getBoundingClientRect()
      const p = el.closest('.panel')!.getBoundingClientRect()
      return r.top >= p.top && r.bottom <= p.bottom
    })).toBe(true)
    await done(page)
  })
})
