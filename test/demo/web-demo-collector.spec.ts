// The web demo sends its sessions to the collector it runs under /flight, and the panel lists and
// opens them: real Chromium, the real demo server, the real collector writing real files.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { reducer } from '../../demo/app/store'
import { startDemoServer, type DemoServer } from '../../demo/web/server'
import { describeInChromium, launchChromium } from '../browser/chromium'
import { repoRoot } from '../browser/harness'
import { recordBatches } from '../collector/helpers'
import { verifiedSummary } from '../helpers/panelSummary'
import { colourStats, decodePng } from './png'

describeInChromium('demo:web with its collector (Chromium)', () => {
  let demo: DemoServer
  let browser: Browser
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frr-demo-sessions-'))
    demo = await startDemoServer({ sessionsDir: dir })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const panel = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  const summaryText = (page: Page) => page.evaluate(() => document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('.summary')!.textContent!)
  const statusText = (page: Page) => panel(page).getByRole('region', { name: 'Collector sessions' }).getByRole('status').textContent()

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(demo.url)
    await page.waitForSelector('html[data-ready="true"]')
    return { page, errors }
  }

  /** GET from the collector as an admin would, from Node. */
  async function admin(path: string): Promise<Response> {
    return fetch(new URL(`/flight${path}`, demo.url), { headers: { Authorization: `Bearer ${demo.adminToken}` } })
  }

  it('records the page to /flight/ingest; the panel lists the session by name, opens it and verifies it', async () => {
    const { page, errors } = await open()
    for (const [i, title] of ['Buy milk', 'Fix the urgent login bug', 'Water the plants'].entries()) {
      await page.fill('#new-title', title)
      await page.press('#new-title', 'Enter')
      await page.waitForFunction((n) => document.querySelectorAll('#todos li').length === n, i + 1)
    }
    await page.click('#todos li[data-id="todo-1"] .toggle')
    await page.waitForSelector('#todos li[data-id="todo-1"][data-done="true"]')
    const session: string = await page.evaluate(() => (window as any).demo.recorder.session)
    const actions: number = await page.evaluate(() => (window as any).demo.recorder.stats().actions)
    expect(actions).toBeGreaterThanOrEqual(5)
    await page.evaluate(() => (window as any).demo.recorder.flush())

    // httpSink delivers in the background: wait until the collector's assembled log holds every action.
    let log = ''
    await expect
      .poll(
        async () => {
          const res = await admin(`/sessions/${session}`)
          if (res.status !== 200) return -res.status
          log = await res.text()
          return parseRecording(log).entries.filter((e) => 'action' in e).length
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(actions)
    // The collector wrote real files under the demo's sessions dir.
    expect(await readdir(dir)).toContain(session)
    const inNode = replay(log, { reducer })
    expect(inNode).toMatchObject({ ok: true, verified: true, steps: actions })
    expect(inNode.state).toEqual(await page.evaluate(() => (window as any).demo.store.getState()))

    const id = session.slice(0, 8)
    await panel(page).getByRole('button', { name: 'Refresh the collector list' }).click()
    const row = panel(page).getByRole('list', { name: 'Collector sessions' }).getByRole('listitem').filter({ hasText: id })
    await row.waitFor()
    expect(await row.textContent()).toContain('demo-todos@1.0.0')
    expect(await row.textContent()).toContain('this tab')
    await panel(page).getByRole('button', { name: `Open collector session ${session}`, exact: true }).click()
    await page.waitForFunction(() => /^[✓✗]/.test(document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('.summary')!.textContent!))
    expect(await summaryText(page)).toBe(verifiedSummary(log, reducer))
    expect(await panel(page).locator('code.source').textContent()).toBe(`collector-${session}.jsonl`)
    expect(await statusText(page)).toBe(`Opened session ${session} from the collector.`)
    const kinds = parseRecording(log).entries.flatMap((e) => ('action' in e ? [e.kind] : []))
    const options = await panel(page).getByRole('listbox', { name: 'Steps' }).getByRole('option').allTextContents()
    expect(options).toHaveLength(kinds.length)
    options.forEach((text, i) => expect(text).toContain(kinds[i]))

    // A picture to look at: the collector list beside the IndexedDB one, and the opened session.
    await mkdir(join(repoRoot, 'test-results/web-demo'), { recursive: true })
    const shot = await panel(page).screenshot({ path: join(repoRoot, 'test-results/web-demo/panel-collector.png'), animations: 'disabled' })
    expect(colourStats(decodePng(shot)).distinct).toBeGreaterThan(100)
    await page.context().close()
    expect(errors).toEqual([])
  })

  it('says when a session has no header yet (409), and warns of gaps from Flight-Recorder-Gaps', async () => {
    // Two sessions sent from Node as httpSink sends them: one without its first batch, one without a middle batch.
    const send = async (b: Awaited<ReturnType<typeof recordBatches>>['batches'][number]) => {
      const res = await fetch(new URL(`/flight/ingest${b.url.search}`, demo.url), { method: 'POST', headers: { 'Content-Type': b.contentType }, body: b.body })
      expect(res.status).toBe(200)
    }
    const headless = await recordBatches(40, 1024)
    const gappy = await recordBatches(40, 1024)
    expect(headless.batches.length).toBeGreaterThanOrEqual(3)
    expect(gappy.batches.length).toBeGreaterThanOrEqual(3)
    for (const b of headless.batches.slice(1)) await send(b)
    const missing = gappy.batches[1]
    for (const b of gappy.batches.filter((b) => b !== missing)) await send(b)
    expect((await admin(`/sessions/${headless.session}`)).status).toBe(409)
    const gapsHeader = (await admin(`/sessions/${gappy.session}`)).headers.get('Flight-Recorder-Gaps')
    expect(gapsHeader).toMatch(/^\d+-\d+$/)

    const { page, errors } = await open()
    const list = panel(page).getByRole('list', { name: 'Collector sessions' })
    const noHeader = headless.session.slice(0, 8)
    await list.getByRole('listitem').filter({ hasText: noHeader }).waitFor()
    expect(await list.getByRole('listitem').filter({ hasText: noHeader }).textContent()).toContain('header not yet arrived')
    await panel(page).getByRole('button', { name: `Open collector session ${headless.session}`, exact: true }).click()
    await expect
      .poll(() => statusText(page))
      .toBe(`Session ${headless.session} cannot be opened yet: its header (the first batch) has not arrived at the collector. Try again shortly.`)

    await panel(page).getByRole('button', { name: `Open collector session ${gappy.session}`, exact: true }).click()
    await expect.poll(() => statusText(page)).toBe(`Warning: session ${gappy.session} has gaps, seq ${gapsHeader}: those lines never reached the collector.`)
    await page.waitForFunction((name) => document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('code.source')?.textContent === name, `collector-${gappy.session}.jsonl`)
    await page.context().close()
    expect(errors).toEqual([])
  })
})
