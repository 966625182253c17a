// The timeline's controls as an acceptance tester saw them (session 28), in real Chromium: the
// "Copied a Vitest test for …" status stayed under the timeline after another log was loaded, the
// "Replay against" select had an accessible name but no visible label, and at 360 px the "Filter by
// action type" select (sized by its longest action type) ran past the panel's right edge. And "Copy
// as test" counted the steps the timeline lists, not the log's actions as scaffold-test does.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { added, makeStore, rootReducer, toggled } from '../helpers/todoApp'
import { describeInChromium, launchChromium } from './chromium'
import { repoRoot } from './harness'
import { PLAIN_BODY, bundlePanelPage, eventually, panelPages, servePanelPage, type PanelServer } from './panelHarness'

const artifacts = join(repoRoot, 'test-results/panel')

/** A session recorded in Node, with an action type as long as RTK Query's longest. */
async function session(): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = makeStore(recorder)
  store.dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
  store.dispatch({ type: 'api/internalSubscriptions/subscriptionsUpdated', payload: [] })
  store.dispatch(toggled('todo-1'))
  await recorder.close()
  return sink.text()
}

describeInChromium('the timeline controls', () => {
  let browser: Browser
  let plain: PanelServer
  beforeAll(async () => {
    ;[browser, plain] = await Promise.all([launchChromium(), bundlePanelPage('panelApp.ts').then((files) => servePanelPage(files, PLAIN_BODY))])
  })
  afterAll(async () => {
    await browser?.close()
    await plain?.close()
  })
  const { open, done } = panelPages(() => browser)
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  const timelineOf = (panel: Locator) => panel.getByRole('region', { name: 'Timeline' })
  async function loadByPicker(page: Page, name: string, text: string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog(page).getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) })
  }

  it('clears the timeline\'s "Copied a Vitest test" status when another log is loaded', async () => {
    const log = await session()
    const { page, context } = await open(plain)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: plain.origin })
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    const status = timelineOf(panel).getByRole('status').nth(1)
    await loadByPicker(page, 'first.jsonl', log)
    await eventually(async () => expect(await timelineOf(panel).getByRole('status').first().textContent()).toMatch(/^✓ Verified/))
    await panel.getByRole('button', { name: 'Copy as test' }).click()
    await eventually(async () => expect(await status.textContent()).toMatch(/^Copied a Vitest test for first\.jsonl/))
    await loadByPicker(page, 'second.jsonl', log)
    await eventually(async () => expect(await timelineOf(panel).locator('code').first().textContent()).toBe('second.jsonl'))
    await eventually(async () => expect(await timelineOf(panel).getByRole('status').first().textContent()).toMatch(/^✓ Verified/))
    expect(await status.textContent()).toBe('')
    await done(page)
  })

  it("copies a test that counts the log's actions as scaffold-test does, also those the timeline does not reach", async () => {
    // A hot reload: the reducer replaced at the second action; the timeline stops there (no
    // `onReplaceReducer` in the panel), the log goes on.
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
    store.replaceReducer(rootReducer)
    store.dispatch(added({ id: 'todo-2', title: 'Eggs', done: false }))
    store.dispatch(toggled('todo-1'))
    await recorder.close()
    const log = sink.text()
    const { page, context } = await open(plain)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: plain.origin })
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await loadByPicker(page, 'reloaded.jsonl', log)
    await eventually(async () => expect(await timelineOf(panel).getByRole('status').first().textContent()).toMatch(/^✗ Replay stopped at seq \d+: The log replaces the reducer/))
    expect(await panel.getByRole('listbox', { name: 'Steps' }).getByRole('option').count()).toBeLessThan(3)
    await panel.getByRole('button', { name: 'Copy as test' }).click()
    await eventually(async () => expect(await timelineOf(panel).getByRole('status').nth(1).textContent()).toMatch(/^Copied a Vitest test for reloaded\.jsonl/))
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toContain("it('replays reloaded.jsonl (3 actions, recorded ")
    const dir = await mkdtemp(join(tmpdir(), 'rfr-panel-scaffold-'))
    try {
      await writeFile(join(dir, 'reloaded.jsonl'), log)
      await writeFile(join(dir, 'store.mjs'), 'export const reducer = (state = null) => state\n')
      execFileSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'scaffold-test', 'reloaded.jsonl', '--store', './store.mjs'], { cwd: dir, stdio: 'pipe' })
      expect(copied).toBe(await readFile(join(dir, 'reloaded.replay.test.js'), 'utf8'))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    await done(page)
  })

  it('labels "Replay against" visibly, and keeps the filters inside the panel at 360 px', async () => {
    const log = await session()
    const { page } = await open(plain)
    await page.setViewportSize({ width: 360, height: 800 })
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await loadByPicker(page, 'long-types.jsonl', log)
    await eventually(async () => expect(await timelineOf(panel).getByRole('status').first().textContent()).toMatch(/^✓ Verified/))
    // A visible label, which also names the select.
    const against = panel.getByRole('combobox', { name: 'Replay against' })
    expect(await against.evaluate((el) => el.getAttribute('aria-label'))).toBeNull()
    const label = timelineOf(panel).getByText('Replay against', { exact: true })
    expect(await label.isVisible()).toBe(true)
    expect(await against.evaluate((el) => (el as HTMLSelectElement).labels?.[0]?.querySelector('span')?.textContent)).toBe('Replay against')

    const kind = panel.getByRole('combobox', { name: 'Filter by action type' })
    await kind.scrollIntoViewIfNeeded()
    await mkdir(artifacts, { recursive: true })
    await panel.screenshot({ path: join(artifacts, 'timeline-controls-360.png'), animations: 'disabled' })
    // Inside the panel's content box (its padding), not cut at its right edge.
    const edges = await kind.evaluate((el) => {
      const panelEl = el.closest('.panel')!
      const box = panelEl.getBoundingClientRect()
      return { right: el.getBoundingClientRect().right, inner: box.right - parseFloat(getComputedStyle(panelEl).paddingRight), scrolls: panelEl.scrollWidth > panelEl.clientWidth }
    })
    expect(edges.right).toBeLessThanOrEqual(edges.inner)
    expect(edges.scrolls).toBe(false)
    await done(page)
  })
})
