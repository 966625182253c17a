// The panel's step view of a log that redacts state, in real Chromium (acceptance, session 27:
// the "State change" list showed what the replay's reducer put under a redacted path, which the
// divergence report and `verify` never print).
import type { Browser, Page } from 'playwright-core'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { added, makeStore, renamed, toggled } from '../helpers/todoApp'
import { describeInChromium, launchChromium } from './chromium'
import { PLAIN_BODY, bundlePanelPage, eventually, panelPages, servePanelPage, type PanelServer } from './panelHarness'

/** A session recorded in Node with the todos' titles redacted in the state (not in the actions). */
async function redactedSession(): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], redact: { state: ['todos.entities.*.title'] } })
  const store = makeStore(recorder)
  store.dispatch(added({ id: 'todo-1', title: 'Private title', done: false }))
  store.dispatch(renamed({ id: 'todo-1', title: 'Another private title' }))
  store.dispatch(toggled('todo-1'))
  await recorder.close()
  return sink.text()
}

describeInChromium('the panel, a log that redacts state', () => {
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

  it('shows a step\'s changes under redacted paths as the log holds them: that they changed, not the values', async () => {
    const log = await redactedSession()
    // (The actions carry the titles: only the state is redacted.)
    expect(log).toContain('"entities":{"todo-1":{"id":"todo-1","title":"[redacted]","done":true}}')
    const { page } = await open(plain)
    await page.keyboard.press('Control+Shift+F')
    const panel = page.getByRole('dialog', { name: 'Flight recorder' })
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), panel.getByRole('button', { name: 'Load a file…' }).click()])
    await chooser.setFiles({ name: 'redacted.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(log) })
    const summary = panel.getByRole('region', { name: 'Timeline' }).getByRole('status').first()
    await eventually(async () => expect(await summary.textContent()).toMatch(/^✓ Verified/))
    const changes = panel.getByRole('list', { name: 'State change' })
    const at = async (n: number) => {
      await panel.getByRole('slider', { name: 'Step number' }).fill(String(n))
      await eventually(async () => expect(await panel.getByText(/^Step \d+ of/).textContent()).toMatch(new RegExp(`^Step ${n} of 3`)))
      return changes.textContent()
    }
    // The replayed reducer stored the actions' titles; the list shows the log's "[redacted]".
    expect(await at(1)).toBe('todos.ids.0: (none) → "todo-1"todos.entities.todo-1: (none) → {"id":"todo-1","title":"[redacted]","done":false}')
    expect(await at(2)).toBe('todos.entities.todo-1.title: "[redacted]" → "[redacted]"')
    expect(await at(3)).toBe('todos.entities.todo-1.done: false → true')
    await done(page as Page)
  })
})
