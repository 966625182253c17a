// The panel as the session-37 acceptance run (helper-142) found it: downloads were named by the
// session id's first 8 characters, so two sessions sharing them got one file name; a `.jsonl.gz`
// cut off (an interrupted download) was said to be a log whose recorder was not closed, where
// `flight-recorder verify` says the file itself is cut off; the delete confirmation's accessible
// name ("Confirm deleting session …") did not contain its visible text ("Confirm delete"), WCAG
// 2.5.3; and at 390 px a long state-change path ran past the right edge of the step's detail.
// Real Chromium, roles and accessible names; screenshots in test-results/panel.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Locator, Page } from 'playwright-core'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'
import { expect, it } from 'vitest'
import { added, makeStore, renamed, toggled } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { repoRoot } from './harness'
import { panelSuite, flushAndReload, postAs, eventually } from './panelHarness'

const artifacts = join(repoRoot, 'test-results/panel')
const ADMIN_TOKEN = 'panel-acc142-admin-token'

/** A closed session recorded in Node (the todo app); `id`: the first todo's id. */
async function nodeSession(extra = 0, id = 'todo-1'): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 5, meta: { app: 'panel-acc142' } })
  const store = makeStore(recorder)
  store.dispatch(added({ id, title: 'Todo 1', done: false }))
  for (let i = 2; i <= 4; i++) store.dispatch(added({ id: `todo-${i}`, title: `Todo ${i}`, done: false }))
  store.dispatch(toggled(id))
  store.dispatch(renamed({ id: 'todo-3', title: 'Renamed' }))
  for (let i = 0; i < extra; i++) store.dispatch(toggled(`todo-${(i % 3) + 2}`))
  await recorder.close()
  return sink.text()
}

/** Copies the stored session `from` of IndexedDB database `db` (the fixture's `idb=`) under each of `ids`. */
async function copyStored(page: Page, db: string, from: string, ids: string[]): Promise<void> {
  await page.evaluate(
    ([name, copied, copies]) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open(`redux-flight-recorder:${name}`)
        req.onsuccess = () => {
          const tx = req.result.transaction(['sessions', 'chunks'], 'readwrite')
          const sessions = tx.objectStore('sessions')
          const got = sessions.get(copied)
          got.onsuccess = () => {
            for (const id of copies) sessions.put({ ...got.result, session: id, closed: true })
          }
          const chunks = tx.objectStore('chunks').getAll(IDBKeyRange.bound([copied, -Infinity], [copied, Infinity]))
          chunks.onsuccess = () => {
            for (const id of copies) for (const c of chunks.result) tx.objectStore('chunks').put({ ...c, session: id })
          }
          tx.oncomplete = () => (req.result.close(), resolve())
          tx.onerror = () => reject(tx.error)
        }
      }),
    [db, from, ids] as const,
  )
}

describeInChromium('the panel, as the session-37 acceptance run found it', () => {
  const suite = panelSuite('panel-acc142', ADMIN_TOKEN)
  const { open, done } = suite
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  const verdictOf = (panel: Locator) => panel.getByRole('region', { name: 'Timeline' }).getByRole('status').first()
  async function pick(page: Page, name: string, buffer: Buffer, mimeType = 'application/x-ndjson'): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog(page).getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name, mimeType, buffer })
  }

  it('names every download by the whole session id: two ids that share their first 8 characters get two files', async () => {
    const shared = ['acc142-shared-a', 'acc142-shared-b']
    const log = await nodeSession()
    for (const id of shared) await postAs(suite.withCollector.origin, id, log)
    const db = `acc142-names-${Date.now()}`
    const { page } = await open(suite.withCollector, `idb=${db}&collector=${ADMIN_TOKEN}`)
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.evaluate(() => (window as any).app.recorder.flush())
    const mine: string = await page.evaluate(() => (window as any).app.recorder.session)
    // Stored sessions that share their first 8 characters (with this tab's too), and one whose id
    // holds characters a file name should not.
    const stored = [`${mine.slice(0, 8)}-copy-a`, `${mine.slice(0, 8)}-copy-b`, 'odd/id:1']
    await copyStored(page, db, mine, stored)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('button', { name: 'Refresh the list' }).click()
    await eventually(async () => expect(await panel.getByRole('list', { name: 'Stored sessions' }).getByRole('listitem').count()).toBe(4))
    const saved = async (button: Locator) => (await Promise.all([page.waitForEvent('download'), button.click()]))[0].suggestedFilename()

    const names: string[] = []
    for (const id of [mine, ...stored]) names.push(await saved(panel.getByRole('button', { name: `Download session ${id}`, exact: true })))
    expect(names).toEqual([`session-${mine}.jsonl`, `session-${mine.slice(0, 8)}-copy-a.jsonl`, `session-${mine.slice(0, 8)}-copy-b.jsonl`, 'session-odd_id_1.jsonl'])
    // Loaded, a stored session is named so in the timeline ("Download this log" saves it under that name).
    await panel.getByRole('button', { name: `Open session ${stored[1]}`, exact: true }).click()
    await eventually(async () => expect(await panel.locator('code.source').textContent()).toBe(`session-${stored[1]}.jsonl`))
    // This tab's snapshot, apart from its stored session.
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await eventually(async () => expect(await panel.locator('code.source').textContent()).toBe(`session-${mine}-snapshot.jsonl`))
    expect(await saved(panel.getByRole('button', { name: 'Download this log' }))).toBe(`session-${mine}-snapshot.jsonl`)

    // The collector's sessions: `collector-<whole id>.jsonl`, one file each.
    const fromCollector: string[] = []
    for (const id of shared) {
      await panel.getByRole('button', { name: `Open collector session ${id}`, exact: true }).click()
      await eventually(async () => expect(await panel.locator('code.source').textContent()).toBe(`collector-${id}.jsonl`))
      await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^✓ Verified/))
      fromCollector.push(await saved(panel.getByRole('button', { name: 'Download this log' })))
    }
    expect(fromCollector).toEqual(['collector-acc142-shared-a.jsonl', 'collector-acc142-shared-b.jsonl'])
    await done(page)
  })

  it('says of a .jsonl.gz cut off that the file is, in `verify`\'s words, not that the recorder was not closed', async () => {
    // Large enough (~2 MB of text) that what the file holds comes out of the decompressor in many
    // chunks: the panel must read all of them, as far as the file goes (the CLI's seq, below).
    const log = await nodeSession(8000)
    expect(log.length).toBeGreaterThan(1_500_000)
    const packed = gzipSync(log)
    const dir = await mkdtemp(join(tmpdir(), 'rfr-panel-acc142-gz-'))
    try {
      // Cut inside a line (as `head -c` cuts a download): what the CLI says of it.
      const cut = packed.subarray(0, Math.floor(packed.length * 0.7))
      await writeFile(join(dir, 'cut.jsonl.gz'), cut)
      const said = execFileSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'verify', 'cut.jsonl.gz', '--store', join(repoRoot, 'test/fixtures/cli/todoStore.mjs'), '--json'], { cwd: dir, encoding: 'utf8' })
      const json = JSON.parse(said) as { warnings: string[]; endNote: string }
      const cutLine = json.warnings.find((w) => w.includes('itself is cut off'))
      expect(cutLine).toMatch(/^Line \d+ was cut short: cut\.jsonl\.gz itself is cut off \(its compressed data ends early/)
      const note = json.endNote
      expect(note).toMatch(/^cut\.jsonl\.gz is cut off: its compressed data ends early .*\(up to seq \d+\) was read/)

      const { page } = await open(suite.plain)
      await page.keyboard.press('Control+Shift+F')
      const panel = dialog(page)
      await pick(page, 'cut.jsonl.gz', cut, 'application/gzip')
      const verdict = verdictOf(panel)
      await eventually(async () => expect(await verdict.textContent()).toContain('cut short'))
      const text = (await verdict.textContent())!
      expect(text).toMatch(/^⚠ Not fully verified/)
      // verify's own sentences, of the same file.
      expect(text).toContain(cutLine)
      expect(text).toContain(note)
      expect(text).not.toContain('the writer stopped mid-line')
      expect(text).not.toContain('the recorder was not closed')
      await mkdir(artifacts, { recursive: true })
      await panel.getByRole('region', { name: 'Timeline' }).screenshot({ path: join(artifacts, 'acc142-gzip-cut.png'), animations: 'disabled' })

      // The same log cut short as a plain file (no gzip): still the writer's, and the recorder's.
      await pick(page, 'plain-cut.jsonl', Buffer.from(log.slice(0, Math.floor(log.length * 0.7))))
      await eventually(async () => expect(await panel.locator('code.source').textContent()).toBe('plain-cut.jsonl'))
      await eventually(async () => expect(await verdict.textContent()).toContain('the writer stopped mid-line'))
      expect(await verdict.textContent()).toContain('the recorder was not closed')
      // A whole .gz file: nothing said of it.
      await pick(page, 'whole.jsonl.gz', packed, 'application/gzip')
      await eventually(async () => expect(await panel.locator('code.source').textContent()).toBe('whole.jsonl.gz'))
      await eventually(async () => expect(await verdict.textContent()).toMatch(/^✓ Verified/))
      expect(await verdict.textContent()).not.toContain('cut off')
      await done(page)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  /**
   * Every button on the page (the panel's, in its shadow root, and the launcher) whose visible text
   * has words: its accessible name contains that text (WCAG 2.5.3 label in name), case aside. Text
   * hidden from assistive technology (`aria-hidden` arrows) and symbols (✕) are not words to say.
   * Resolves to the texts checked. `scope`: the part of the page to check (the whole page by default).
   */
  async function labelsInNames(page: Page, state: string, scope: Page | Locator = page): Promise<string[]> {
    const buttons = scope.getByRole('button')
    const checked: string[] = []
    for (let i = 0, n = await buttons.count(); i < n; i++) {
      const button = buttons.nth(i)
      const text = await button.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement
        for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove()
        return (copy.textContent ?? '').replace(/\p{S}/gu, '').replace(/\s+/g, ' ').trim()
      })
      if (text === '') continue
      // Playwright's own accessible-name matching: a substring, case-insensitively.
      const named = await button.and(page.getByRole('button', { name: text })).count()
      expect(named, named === 1 ? state : `${state}: ${await button.ariaSnapshot()} shows "${text}"`).toBe(1)
      checked.push(text)
    }
    return checked
  }

  it('names every button with its visible text in it (label in name), in every state: the delete confirmation too', async () => {
    // 26 sessions: one more than the list shows, so "Show more sessions" is there.
    const log = await nodeSession()
    await Promise.all(Array.from({ length: 26 }, (_, i) => postAs(suite.withCollector.origin, `acc142-label-${String(i).padStart(2, '0')}`, log)))
    const db = `acc142-labels-${Date.now()}`
    const { page } = await open(suite.withCollector, `idb=${db}&collector=${ADMIN_TOKEN}`)
    await page.getByRole('button', { name: 'Add todo' }).click()
    const earlier = await flushAndReload(page)
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.getByRole('button', { name: 'Toggle first' }).click()
    expect(await labelsInNames(page, 'closed')).toContain('Flight recorder')

    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('button', { name: 'Show more sessions' }).waitFor()
    await panel.getByRole('button', { name: `Delete session ${earlier}`, exact: true }).waitFor()
    const opened = await labelsInNames(page, 'open')
    for (const text of ['Report a problem', 'Refresh the list', 'Open', 'Download', 'Delete', 'Refresh the collector list', 'Show more sessions', 'Load a file…', "Replay this tab's session"]) expect(opened).toContain(text)

    // The first press of Delete asks: the button says "Confirm delete" (for 5 seconds: the list's
    // buttons only are checked then), and its name says so too.
    await panel.getByRole('button', { name: `Delete session ${earlier}`, exact: true }).click()
    await panel.getByRole('button').filter({ hasText: 'Confirm delete' }).waitFor()
    expect(await labelsInNames(page, 'delete armed', panel.getByRole('list', { name: 'Stored sessions' }))).toContain('Confirm delete')
    const confirm = panel.getByRole('button', { name: `Confirm delete session ${earlier}`, exact: true })
    expect(await confirm.textContent()).toBe('Confirm delete')

    // The timeline, against the regressed reducer: the divergence's button and the step buttons.
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^✓ Verified/))
    await panel.getByRole('combobox', { name: 'Replay against' }).selectOption('the regressed toggle')
    await panel.getByRole('button', { name: 'Go to the divergence' }).waitFor()
    const timeline = await labelsInNames(page, 'timeline')
    for (const text of ['Go to the divergence', 'Copy as test', 'Download this log', 'Start', 'Back', 'Forward']) expect(timeline).toContain(text)
    await done(page)
  }, 90_000)

  it('wraps a long state-change path at 390 px: nothing of the step\'s detail is cut at the right edge, and 1280 px is as before', async () => {
    // A key as long as RTK Query's (`api.queries["getItems(undefined)"].fulfilledTimeStamp`), without a space to break at.
    const long = 'getItems(undefined):fulfilledTimeStamp:0123456789abcdef0123456789abcdef'
    const log = await nodeSession(0, long)
    expect(parseRecording(log).entries.length).toBeGreaterThan(5)
    const { page } = await open(suite.plain)
    await page.setViewportSize({ width: 390, height: 844 })
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await pick(page, 'long-path.jsonl', Buffer.from(log))
    await eventually(async () => expect(await verdictOf(panel).textContent()).toMatch(/^✓ Verified/))
    // The first step adds the todo under the long key; the fifth changes a value under it.
    const changes = panel.getByRole('list', { name: 'State change' })
    for (const [steps, shot] of [[1, 'added'], [4, 'toggled']] as const) {
      for (let i = 0; i < steps; i++) await panel.getByRole('button', { name: 'Forward', exact: true }).click()
      await eventually(async () => expect(await changes.textContent()).toContain(long))
      const box = await changes.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, panel: el.closest('.panel')!.scrollWidth - el.closest('.panel')!.clientWidth }))
      expect(box.scroll, `${shot}: the list is ${box.scroll} px wide in a ${box.client} px box`).toBeLessThanOrEqual(box.client)
      expect(box.panel, shot).toBeLessThanOrEqual(0)
      await mkdir(artifacts, { recursive: true })
      await panel.screenshot({ path: join(artifacts, `acc142-390-${shot}.png`), animations: 'disabled' })
    }
    await page.setViewportSize({ width: 1280, height: 900 })
    await panel.screenshot({ path: join(artifacts, 'acc142-1280-toggled.png'), animations: 'disabled' })
    await done(page)
  })
})
