// The panel with an app that uses redux-persist, in real Chromium (acceptance, session 28): no
// session of such an app verified (persist/PERSIST holds functions the log cannot carry, and the
// panel had no `adapters`); the step list left out the diverging step and a step whose reducer
// threw, "Go to the divergence" landed on the step before it, a recorded crash showed a bare
// "✓ Verified", "Copy as test" counted fewer actions than scaffold-test and left the adapters out.
// Sessions are recorded by the page itself (Redux Toolkit, redux-persist into localStorage,
// indexedDbSink), reported with "Report a problem" and loaded back from the file.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInChromium, launchChromium } from './chromium'
import { repoRoot } from './harness'
import { bundlePanelPage, eventually, panelPages, servePanelPage, type PanelServer } from './panelHarness'

const artifacts = join(repoRoot, 'test-results/panel')

describeInChromium('the panel, an app that uses redux-persist', () => {
  let browser: Browser
  let server: PanelServer
  beforeAll(async () => {
    ;[browser, server] = await Promise.all([launchChromium(), bundlePanelPage('panelPersistApp.ts').then((files) => servePanelPage(files, ''))])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  const { open, done } = panelPages(() => browser)
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  const timelineOf = (panel: Locator) => panel.getByRole('region', { name: 'Timeline' })
  const summaryOf = (panel: Locator) => timelineOf(panel).getByRole('status').first()

  /**
   * Uses the app (todos added, one selected, all cleared, the selected one renamed: the reducer
   * throws, recorded as `threw`), then "Report a problem": the file the panel saved, by path.
   */
  async function recordAndReport(page: Page, dir: string): Promise<{ path: string; name: string; text: string }> {
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.getByRole('button', { name: 'Select the first todo' }).click()
    await page.getByRole('button', { name: 'Clear the todos' }).click()
    await page.getByRole('button', { name: 'Rename the selected todo' }).click()
    await page.getByText('Renaming failed').waitFor()
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('textbox', { name: 'What went wrong?' }).fill('Renaming after clearing crashes')
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Report a problem' }).click()])
    const name = download.suggestedFilename()
    const path = join(dir, name)
    await download.saveAs(path)
    return { path, name, text: await readFile(path, 'utf8') }
  }

  async function loadFile(page: Page, path: string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog(page).getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles(path)
  }

  it('verifies a reported session of the app with `adapters: [reduxPersist()]`, says the recorded crash, and copies the test scaffold-test writes', async () => {
    const dir = await mkdtemp(join(repoRoot, 'test-results/panel-persist-'))
    try {
      const { page, context } = await open(server, `idb=persist-${Date.now()}`)
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin })
      const report = await recordAndReport(page, dir)
      // The log holds what the acceptance tester's did: a PERSIST the log could not carry in full,
      // and the rename recorded as having thrown.
      expect(report.text).toMatch(/"kind":"persist\/PERSIST".*"recordable":false/)
      const threwSeq = Number(/\{"seq":(\d+),[^\n]*"kind":"todos\/renamedSelected"[^\n]*"threw":\{"name":"TypeError"/.exec(report.text)?.[1])
      expect(threwSeq).toBeGreaterThan(1)
      const actions = report.text.split('\n').filter((l) => l.includes('"action":')).length
      expect(actions).toBe(9) // app/started, PERSIST, REHYDRATE, 3 added, selected, cleared, renamedSelected

      await loadFile(page, report.path)
      const panel = dialog(page)
      await eventually(async () => expect(await summaryOf(panel).textContent()).toMatch(/^✓ Verified/))
      // The recorded crash is said, not only a green ✓.
      expect(await summaryOf(panel).textContent()).toContain(`The reducer threw at seq ${threwSeq} (todos/renamedSelected) when recorded: TypeError: `)
      expect(await summaryOf(panel).textContent()).toContain('replayed, it threw again and the state stayed as it was, as recorded.')

      // The step is listed, and says so; its state change says what happened, not a panel fault.
      const steps = panel.getByRole('listbox', { name: 'Steps' })
      const crashed = steps.getByRole('option', { name: new RegExp(`^${threwSeq} t\\d+ todos/renamedSelected matched, the reducer threw, as recorded$`) })
      await crashed.click()
      const changes = panel.getByRole('list', { name: 'State change' })
      await eventually(async () => expect(await changes.textContent()).toMatch(/^The reducer threw at this action when it was recorded \(TypeError: .+\), so the app kept the state it had\. Replayed, it threw again \(TypeError: .+\): the state stays as it was, as recorded\.no change to the state$/))
      expect(await changes.textContent()).not.toContain('rebuilding')
      // Stepping on past it rebuilds the next state (the crash is not run again).
      await panel.getByRole('button', { name: 'Forward' }).click()
      await eventually(async () => expect(await changes.textContent()).toMatch(/^todos\.items\.0: \(none\) → \{"id":"t3","title":"Todo 3"\}/))
      await mkdir(artifacts, { recursive: true })
      await timelineOf(panel).screenshot({ path: join(artifacts, 'persist-verified.png'), animations: 'disabled' })

      // Copy as test: the file scaffold-test writes for the same log and a store module that
      // exports the reducer and the adapters (9 actions, adapters passed).
      await panel.getByRole('button', { name: 'Copy as test' }).click()
      await eventually(async () => expect(await timelineOf(panel).getByRole('status').nth(1).textContent()).toMatch(/^Copied a Vitest test/))
      const copied = await page.evaluate(() => navigator.clipboard.readText())
      expect(copied).toContain(`(9 actions, recorded `)
      expect(copied).toContain("import { reducer, adapters } from './store.mjs'")
      expect(copied).toContain('await expectReplayFile(log, { reducer, adapters })')
      const model = pathToFileURL(join(repoRoot, 'test/fixtures/browser/panelPersistModel.ts')).href
      const replayEntry = pathToFileURL(join(repoRoot, 'dist/replay.js')).href
      await writeFile(join(dir, 'store.mjs'), `import { reduxPersist } from '${replayEntry}'\nimport { makePersisted, memoryStorage } from '${model}'\nexport const reducer = makePersisted(memoryStorage(), 0)\nexport const adapters = [reduxPersist()]\n`)
      const tsx = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href
      const cli = execFileSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'scaffold-test', report.name, '--store', './store.mjs', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import ${tsx}` } })
      expect(JSON.parse(cli)).toMatchObject({ ok: true, actions: 9 })
      expect(copied).toBe(await readFile(join(dir, report.name.replace(/\.jsonl$/, '.replay.test.js')), 'utf8'))
      await done(page)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('without adapters: lists the diverging step (persist/PERSIST, not replayed) and goes to it, and lists the crash past it', async () => {
    const dir = await mkdtemp(join(repoRoot, 'test-results/panel-persist-'))
    try {
      const { page } = await open(server, `idb=persist-${Date.now()}&adapters=0`)
      const report = await recordAndReport(page, dir)
      await loadFile(page, report.path)
      const panel = dialog(page)
      await eventually(async () => expect(await summaryOf(panel).textContent()).toMatch(/^✗ Diverged at seq 2 \(persist\/PERSIST, turn t\d+\): an action was not recorded in full\./))
      const steps = panel.getByRole('listbox', { name: 'Steps' })
      expect(await steps.getByRole('option').allTextContents()).toHaveLength(9)
      const persist = steps.getByRole('option', { name: /^2 t\d+ persist\/PERSIST differs, not replayed$/ })
      expect(await persist.textContent()).toMatch(/persist\/PERSISTnot run✗$/)
      await panel.getByRole('button', { name: 'Go to the divergence' }).click()
      await eventually(async () => expect(await persist.getAttribute('aria-selected')).toBe('true'))
      expect(await panel.getByText(/^Step \d+ of \d+ · seq/).textContent()).toBe('Step 2 of 9 · seq 2')
      const check = panel.getByRole('table', { name: 'Current step' }).getByRole('row', { name: /^check/ }).getByRole('cell')
      expect(await check.textContent()).toBe('✗ not replayed: an action was not recorded in full, so replay did not run it (the report below says why)')
      const changes = panel.getByRole('list', { name: 'State change' })
      expect(await changes.getByRole('listitem').first().textContent()).toMatch(/^Replay did not run this action \(an action was not recorded in full, so replay did not run it\): the state stays as it was before it\.$/)
      await mkdir(artifacts, { recursive: true })
      await timelineOf(panel).screenshot({ path: join(artifacts, 'persist-divergence.png'), animations: 'disabled' })

      // Past the divergence the crash is listed (it threw again, from the replayed state), and
      // the timeline goes on to the end of the log.
      const crashed = steps.getByRole('option', { name: /^\d+ t\d+ todos\/renamedSelected not checked, the reducer threw, as recorded, after the divergence$/ })
      await crashed.click()
      await eventually(async () => expect(await changes.getByRole('listitem').first().textContent()).toMatch(/^The reducer threw at this action when it was recorded \(TypeError: .+\), so the app kept the state it had\. Replayed, it threw again/))
      expect(await summaryOf(panel).textContent()).toContain('The timeline goes on from the replayed state to the end of the log: 7 steps after the divergence, 0 of them hashing as recorded.')
      await done(page)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
