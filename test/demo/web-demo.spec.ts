import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Browser, Page } from 'playwright-core'
import { createFlightRecorder, memorySink, type ActionEntry, type Recording } from 'redux-flight-recorder'
import { formatDivergence, parseRecording, replay } from 'redux-flight-recorder/replay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reducer as regressedReducer, regression } from '../../demo/app/regressed'
import { startApi } from '../../demo/app/server'
import { playSession } from '../../demo/app/session'
import { makeStore, reducer } from '../../demo/app/store'
import { startDemoServer } from '../../demo/web/server'
import { describeInChromium, launchChromium } from '../browser/chromium'
import { repoRoot } from '../browser/harness'
import { verifiedSummary } from '../helpers/panelSummary'
import { colourStats, decodePng } from './png'

const artifacts = join(repoRoot, 'test-results/web-demo')
const readme = join(repoRoot, 'docs/demo-web.png')
const VIEWPORT = { width: 1280, height: 860 }

/** The web demo bundles the built package; a build running alongside brings dist/ back within seconds. */
async function distReady(): Promise<void> {
  const until = Date.now() + 30_000
  for (const file of ['dist/index.js', 'dist/browser.js']) {
    while (!existsSync(join(repoRoot, file))) {
      if (Date.now() > until) throw new Error(`${file} is missing: the web demo runs the built package. Run \`npm run build\` first (\`npm test\` does).`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/**
 * Runs `start` once dist/ is there; when a build running alongside removed dist/ in the meantime
 * (tsup cleans it first), waits for it again and retries.
 */
async function whileDistRebuilds<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await distReady()
    try {
      return await start()
    } catch (error) {
      const missing = /is missing|Could not resolve "redux-flight-recorder/.test(String((error as Error).message))
      if (!missing || attempt === 3) throw error
    }
  }
}

const actions = (recording: Recording) => recording.entries.filter((e): e is ActionEntry => 'action' in e)

describe('demo:web server', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>
  beforeAll(async () => {
    demo = await whileDistRebuilds(() => startDemoServer())
  })
  afterAll(() => demo?.close())

  it('serves the page, its stylesheet and a bundle built from the dist/ files, as a user bundler would', async () => {
    const page = await fetch(demo.url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>')
    expect((await fetch(new URL('/style.css', demo.url))).status).toBe(200)

    const js = await (await fetch(new URL('/app.js', demo.url))).text()
    const map = /sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(js)
    expect(map).not.toBeNull()
    const sources = (JSON.parse(Buffer.from(map![1], 'base64').toString('utf8')) as { sources: string[] }).sources
    expect(sources).toEqual(expect.arrayContaining(['dist/index.js', 'dist/browser.js', 'dist/panel.js', 'dist/panel-ui.js', 'demo/web/main.ts', 'demo/app/store.ts', 'demo/app/todos.ts']))
    // The repository's tsconfig paths point the package name at src/; the bundle must not use them.
    expect(sources.filter((s) => s.startsWith('src/'))).toEqual([])
    expect(sources.filter((s) => s.includes('node:') || s.endsWith('demo/app/server.ts'))).toEqual([])
  })

  it('answers the demo API on the same origin: POST /todos/sync stamps each todo', async () => {
    const before = demo.apiRequests()
    const res = await fetch(new URL('/todos/sync', demo.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ id: 'a', title: 'A', done: false, urgent: false, syncedAt: null }]),
    })
    expect(res.status).toBe(200)
    const todos = (await res.json()) as { id: string; syncedAt: string }[]
    expect(todos).toEqual([{ id: 'a', title: 'A', done: false, urgent: false, syncedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }])
    expect(demo.apiRequests()).toBe(before + 1)
    expect((await fetch(new URL('/nope', demo.url))).status).toBe(404)
  })
})

describeInChromium('npm run demo:web (Chromium)', () => {
  let child: ChildProcess | undefined
  let url: string
  let browser: Browser

  beforeAll(async () => {
    // What `npm run demo:web` runs after its build, on a free port.
    url = await whileDistRebuilds(() => {
      child = spawn(process.execPath, ['--import', 'tsx', 'demo/web/serve.ts'], {
        cwd: repoRoot,
        env: { ...process.env, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      child.stderr!.on('data', (b: Buffer) => (stderr += b))
      return new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child!.stdout! })
        lines.on('line', (line) => {
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(line)
          if (m) resolve(m[1])
        })
        child!.once('exit', (code) => reject(new Error(`demo/web/serve.ts exited with ${code} before printing its URL:\n${stderr}`)))
      })
    })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
  })

  const pageErrors = new WeakMap<Page, string[]>()

  async function open(): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true, viewport: VIEWPORT })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const errors: string[] = []
    pageErrors.set(page, errors)
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(url)
    await page.waitForSelector('html[data-ready="true"]')
    return page
  }

  /** Closes the page's context; nothing on the page may have thrown. */
  async function done(page: Page): Promise<void> {
    await page.context().close()
    expect(pageErrors.get(page)).toEqual([])
  }

  async function addTodos(page: Page, titles: string[]): Promise<void> {
    for (const title of titles) {
      const count = await page.locator('#todos li').count()
      await page.fill('#new-title', title)
      await page.press('#new-title', 'Enter')
      await page.waitForFunction((n) => document.querySelectorAll('#todos li').length === n, count + 1)
    }
  }

  async function toggle(page: Page, id: string): Promise<void> {
    const done = await page.getAttribute(`#todos li[data-id="${id}"]`, 'data-done')
    await page.click(`#todos li[data-id="${id}"] .toggle`)
    await page.waitForSelector(`#todos li[data-id="${id}"][data-done="${done === 'true' ? 'false' : 'true'}"]`)
  }

  async function sync(page: Page): Promise<void> {
    const before = await page.textContent('#sync-status')
    await page.click('#sync')
    await page.waitForFunction((text) => {
      const status = document.getElementById('sync-status')!
      return status.dataset.state === 'synced' && status.textContent !== text
    }, before)
  }

  const panel = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })
  const summary = (page: Page) => panel(page).getByRole('region', { name: 'Timeline' }).getByRole('status').first()

  /** "Report a problem" in the panel: the session as the recorder wrote it, plus a mark. */
  async function download(page: Page): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), panel(page).getByRole('button', { name: 'Report a problem' }).click()])
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') }
  }

  async function loadFile(page: Page, name: string, text: string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), panel(page).getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) })
    await page.waitForFunction(
      (n) => {
        const root = document.querySelector('flight-recorder-panel')!.shadowRoot!
        const summary = root.querySelector('.summary')!.textContent!
        return root.querySelector('code.source')?.textContent === n && (/^[✓✗]/.test(summary) || summary.startsWith(`${n} cannot be replayed`))
      },
      name,
    )
  }

  async function stepCells(page: Page): Promise<string[]> {
    return panel(page).getByRole('table', { name: 'Current step' }).getByRole('cell').allTextContents()
  }

  async function position(page: Page): Promise<string> {
    return (await panel(page).getByText(/^(Step \d+ of|Start ·)/).textContent())!
  }

  it('records adding, toggling, renaming, removing, undo, filters and sync; the downloaded session replays ok in Node', async () => {
    const page = await open()
    await addTodos(page, ['Buy milk', 'Call the plumber ASAP', 'Write the quarterly report', 'Fix the urgent login bug'])
    // The listener flags urgent todos in the same turn as the add.
    await page.waitForSelector('#todos li[data-id="todo-4"][data-urgent="true"]')
    expect(await page.locator('#todos li[data-urgent="true"]').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id))).toEqual(['todo-2', 'todo-4'])

    await toggle(page, 'todo-1')
    await page.dblclick('#todos li[data-id="todo-3"] .title')
    await page.fill('#todos li[data-id="todo-3"] .rename-input', 'Write the Q4 report')
    await page.press('#todos li[data-id="todo-3"] .rename-input', 'Enter')
    await page.waitForSelector('#todos li[data-id="todo-3"] .title:text-is("Write the Q4 report")')
    await page.click('#todos li[data-id="todo-3"] .remove')
    await page.waitForSelector('#todos li[data-id="todo-3"]', { state: 'detached' })
    await page.click('#undo')
    await page.waitForSelector('#todos li[data-id="todo-3"]')
    await page.click('[data-visibility="open"]')
    await page.waitForFunction(() => document.querySelectorAll('#todos li').length === 3)
    await page.click('[data-visibility="all"]')
    await page.waitForFunction(() => document.querySelectorAll('#todos li').length === 4)
    await sync(page)
    expect(await page.locator('#todos li .synced').count()).toBe(4)
    await toggle(page, 'todo-2')

    // The panel's indicator shows recorder.stats().
    const stats = await page.evaluate(() => (window as any).demo.recorder.stats())
    const indicator = panel(page).getByRole('group', { name: 'Recording' })
    const read = async () => {
      const terms = await indicator.getByRole('term').allTextContents()
      const values = await indicator.getByRole('definition').allTextContents()
      return Object.fromEntries(terms.map((t, i) => [t, values[i]]))
    }
    await page.waitForFunction(
      (n) => document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('dl')!.textContent!.includes(`actions${n}`),
      stats.actions,
    )
    expect(await read()).toMatchObject({ actions: String(stats.actions), turns: String(stats.turns), dropped: '0', 'sink errors': '0' })

    const file = await download(page)
    expect(file.name).toMatch(/^problem-report-[0-9a-f]{8}-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.jsonl$/)
    await mkdir(artifacts, { recursive: true })
    await writeFile(join(artifacts, 'browser-session.jsonl'), file.text)
    const recording = parseRecording(file.text)
    expect(recording.header.meta).toMatchObject({ app: 'demo-todos@1.0.0' })
    const entries = actions(recording)
    expect(entries.map((e) => e.kind)).toEqual([
      'todos/added',
      'todos/added',
      'todos/markedUrgent',
      'todos/added',
      'todos/added',
      'todos/markedUrgent',
      'todos/toggled',
      'todos/renamed',
      'todos/removed',
      '@@redux-undo/UNDO',
      'filters/visibilitySet',
      'filters/visibilitySet',
      'todos/sync/pending',
      'todos/sync/fulfilled',
      'todos/toggled',
    ])
    // Turns: the listener's flag joins its add; the thunk's actions share the click's turn, across the request.
    expect(entries[2].turn).toBe(entries[1].turn)
    expect(entries[13].turn).toBe(entries[12].turn)
    expect(new Set(entries.map((e) => e.turn)).size).toBe(stats.turns)

    const result = replay(recording, { reducer })
    expect(result.divergence).toBeUndefined()
    expect(result).toMatchObject({ ok: true, verified: true, steps: entries.length })
    expect(result.state).toEqual(await page.evaluate(() => (window as any).demo.store.getState()))

    const regressed = replay(recording, { reducer: regressedReducer })
    expect(regressed.ok).toBe(false)
    expect(regressed.divergence).toMatchObject({ kind: 'todos/toggled', action: { payload: 'todo-2' } })
    await done(page)
  })

  it('plays the scripted session in the page; replayed in the panel against the named regression, it diverges at the urgent toggle', async () => {
    const page = await open()
    await page.getByRole('button', { name: 'Play the scripted session' }).click()
    await page.waitForSelector('#play-session[data-done="true"]')
    await page.waitForFunction(() => document.getElementById('sync-status')!.dataset.state === 'synced')
    await panel(page).getByRole('button', { name: "Replay this tab's session" }).click()
    await page.waitForFunction(() => /^✓ Verified/.test(document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('.summary')!.textContent!))
    await panel(page).getByRole('combobox', { name: 'Replay against' }).selectOption(regression)
    await page.waitForFunction(() => /^✗ Diverged/.test(document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('.summary')!.textContent!))
    const log = await page.evaluate(() => (window as any).demo.recorder.toJSONL({ finalState: true }))
    const expected = replay(log, { reducer: regressedReducer }).divergence!
    expect(expected).toMatchObject({ kind: 'todos/toggled', action: { payload: 'todo-2' } })
    expect(await summary(page).textContent()).toMatch(new RegExp(`^✗ Diverged at seq ${expected.seq} \\(todos/toggled, turn ${expected.turn}\\)`))
    await panel(page).getByRole('button', { name: 'Go to the divergence' }).click()
    expect(await position(page)).toMatch(new RegExp(`^Step \\d+ of \\d+ · seq ${expected.seq}$`))
    expect((await stepCells(page))[4]).toBe('✗ differs from the recording')
    await done(page)
  })

  it('loads a session file into the timeline and steps through it; against the regressed reducer it shows where replay diverges', async () => {
    // A session recorded in Node, by the scripted user of `npm run demo`: the same hashes in both runtimes.
    const api = await startApi()
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 10, meta: { app: 'demo-todos@1.0.0' } })
    await playSession(makeStore({ apiUrl: api.url, recorder }))
    await recorder.close()
    api.server.close()
    const log = sink.text()
    const entries = actions(parseRecording(log))

    const page = await open()
    await loadFile(page, 'node-session.jsonl', log)
    expect(await summary(page).textContent()).toBe(verifiedSummary(log, reducer))
    expect(await position(page)).toMatch(/^Start/)
    expect(await panel(page).getByRole('button', { name: 'Back' }).isDisabled()).toBe(true)
    const steps = panel(page).getByRole('listbox', { name: 'Steps' })

    const expectStep = async (n: number, total = entries.length) => {
      const e = entries[n - 1]
      await page.waitForFunction((label) => document.querySelector('flight-recorder-panel')!.shadowRoot!.textContent!.includes(label), `Step ${n} of ${total} · seq ${e.seq}`)
      const [, turn, recorded, replayed, check] = await stepCells(page)
      expect([turn, recorded, replayed, check]).toEqual([e.turn, e.hash, e.hash, '✓ matches the recording'])
      expect(await steps.getByRole('option', { selected: true }).textContent()).toContain(e.kind)
    }
    await panel(page).getByRole('button', { name: 'Forward' }).click()
    await expectStep(1)
    expect(await panel(page).getByRole('list', { name: 'State change' }).textContent()).toContain('todos.present.entities.todo-1')
    await panel(page).getByRole('button', { name: 'Forward' }).click()
    await panel(page).getByRole('button', { name: 'Forward' }).click()
    await expectStep(3)
    await panel(page).getByRole('button', { name: 'Back' }).click()
    await expectStep(2)
    await steps.focus()
    await page.keyboard.press('End')
    await expectStep(entries.length)
    expect(await panel(page).getByRole('button', { name: 'Forward' }).isDisabled()).toBe(true)

    // The same log against the regressed reducer: the timeline marks the step Node's replay names.
    const expected = replay(log, { reducer: regressedReducer })
    const divergence = expected.divergence!
    await panel(page).getByRole('combobox', { name: 'Replay against' }).selectOption(regression)
    await page.waitForFunction(() => /^✗/.test(document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('.summary')!.textContent!))
    expect(await summary(page).textContent()).toMatch(new RegExp(`^✗ Diverged at seq ${divergence.seq} \\(todos/toggled, turn ${divergence.turn}\\)`))
    expect(await panel(page).getByLabel('Divergence report').textContent()).toBe(formatDivergence(expected))
    expect(await panel(page).getByLabel('Divergence report').textContent()).toContain('todos.present.entities.todo-2.done')
    await panel(page).getByRole('button', { name: 'Go to the divergence' }).click()
    const at = entries.findIndex((e) => e.seq === divergence.seq) + 1
    // The timeline goes on past the divergence to the end of the log.
    expect(await position(page)).toBe(`Step ${at} of ${entries.length} · seq ${divergence.seq}`)
    const [kind, , recorded, actual, check] = await stepCells(page)
    expect(kind).toContain('todos/toggled')
    expect([recorded, actual, check]).toEqual([divergence.expectedHash, divergence.actualHash, '✗ differs from the recording'])
    expect(await panel(page).getByRole('list', { name: 'State change' }).textContent()).toBe('no change to the state')
    // The arrow keys step too.
    await page.keyboard.press('ArrowLeft')
    expect(await position(page)).toBe(`Step ${at - 1} of ${entries.length} · seq ${entries[at - 2].seq}`)

    // A file that is not a log says so, in the panel.
    await loadFile(page, 'notes.jsonl', 'not a log\n')
    expect(await summary(page).textContent()).toMatch(/^notes\.jsonl cannot be replayed: \[redux-flight-recorder\] /)
    await done(page)
  })

  it('keeps sessions in IndexedDB across a reload and loads the earlier one into the timeline', async () => {
    const page = await open()
    await addTodos(page, ['Book flights', 'Water the plants'])
    await toggle(page, 'todo-1')
    const first: string = await page.evaluate(() => (window as any).demo.recorder.session)
    await page.reload()
    await page.waitForSelector('html[data-ready="true"]')
    const second: string = await page.evaluate(() => (window as any).demo.recorder.session)
    expect(second).not.toBe(first)
    expect(await page.locator('#todos li').count()).toBe(0)

    const id = first.slice(0, 8)
    const row = panel(page).getByRole('list', { name: 'Stored sessions' }).getByRole('listitem').filter({ hasText: id })
    await row.waitFor()
    expect(await row.textContent()).toContain('page left')
    await panel(page).getByRole('button', { name: `Open session ${first}`, exact: true }).click()
    await page.waitForFunction(() => /^✓ Verified/.test(document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('.summary')!.textContent!))
    expect(await summary(page).textContent()).toMatch(/^✓ Verified: 3 steps replayed/)
    expect(await panel(page).getByRole('listbox', { name: 'Steps' }).getByRole('option').allTextContents()).toEqual([
      expect.stringContaining('todos/added'),
      expect.stringContaining('todos/added'),
      expect.stringContaining('todos/toggled'),
    ])
    await done(page)
  })

  it('screenshots the panel as a test artifact, and it is not blank', async () => {
    const page = await open()
    // An earlier session, left by a reload, so the IndexedDB list has two.
    await addTodos(page, ['Book flights'])
    await page.reload()
    await page.waitForSelector('html[data-ready="true"]')
    await addTodos(page, ['Buy milk', 'Call the plumber ASAP', 'Write the quarterly report', 'Fix the urgent login bug'])
    await toggle(page, 'todo-1')
    await sync(page)
    await toggle(page, 'todo-2')
    await toggle(page, 'todo-3')
    const file = await download(page)
    await loadFile(page, 'session.jsonl', file.text)
    await panel(page).getByRole('combobox', { name: 'Replay against' }).selectOption(regression)
    await page.waitForFunction(() => /^✗/.test(document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelector('.summary')!.textContent!))
    await panel(page).getByRole('button', { name: 'Go to the divergence' }).click()
    // Hand this session's lines to IndexedDB now rather than at the next flush interval.
    await page.evaluate(() => (window as any).demo.recorder.flush())
    await panel(page).getByRole('button', { name: 'Refresh the list' }).click()
    await page.waitForFunction(() => document.querySelector('flight-recorder-panel')!.shadowRoot!.querySelectorAll('ul.sessions li[data-session]').length === 2)

    await mkdir(artifacts, { recursive: true })
    const panelPath = join(artifacts, 'panel.png')
    const shot = await panel(page).screenshot({ path: panelPath, animations: 'disabled' })
    const box = (await panel(page).boundingBox())!
    const image = decodePng(shot)
    expect(Math.abs(image.width - box.width)).toBeLessThanOrEqual(1)
    expect(Math.abs(image.height - box.height)).toBeLessThanOrEqual(1)
    expect(shot.length).toBeGreaterThan(20_000)
    const { distinct, dominantShare } = colourStats(image)
    expect(distinct).toBeGreaterThan(100)
    expect(dominantShare).toBeLessThan(0.9)

    // The check can fail: an empty element of the page's background is one colour.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { id: 'blank', style: 'position:fixed;left:0;top:0;width:200px;height:100px;background:#151a24' })))
    const blank = colourStats(decodePng(await page.locator('#blank').screenshot()))
    expect(blank).toEqual({ distinct: 1, dominantShare: 1 })
    await page.evaluate(() => document.getElementById('blank')!.remove())

    // The whole page is the README's picture (docs/demo-web.png), refreshed on request.
    const pagePath = join(artifacts, 'page.png')
    await page.screenshot({ path: pagePath, animations: 'disabled', fullPage: true })
    expect(colourStats(decodePng(await readFile(pagePath))).distinct).toBeGreaterThan(100)
    if (process.env.UPDATE_DEMO_SCREENSHOT === '1' || !existsSync(readme)) await copyFile(pagePath, readme)
    await done(page)
  })
})
