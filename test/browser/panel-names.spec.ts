// Every control of the panel has an accessible name that no other control's name contains (case
// aside). Playwright's and Testing Library's `getByRole(role, { name })` match a name as a
// case-insensitive substring by default, so a user's test that asks for one control by its name
// must find that one: "Load session <id>" was also inside "Download session <id>" (a strict-mode
// violation unless `exact: true`). Real Chromium; the names as its accessibility tree gives them
// (`ariaSnapshot`), in each view of the panel: closed, opened with stored and collector sessions,
// a delete armed, and the timeline of a replay that diverges.
import type { Locator, Page } from 'playwright-core'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { expect, it } from 'vitest'
import { added, makeStore, toggled } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { panelSuite, flushAndReload, postAs, eventually } from './panelHarness'

const ADMIN_TOKEN = 'panel-names-admin-token'
/** Roles of what a user operates (not `option`s: a select's options are the app's data, such as its action types). */
const CONTROLS = 'button|link|textbox|searchbox|combobox|listbox|slider|spinbutton|checkbox|radio|switch|tab|menuitem'

/** The controls' accessible names under `scope`, as Chromium's accessibility tree gives them. */
async function controlNames(scope: Locator): Promise<string[]> {
  const names: string[] = []
  for (const line of (await scope.ariaSnapshot()).split('\n')) {
    const m = new RegExp(`^\\s*- (${CONTROLS}) (?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)')`).exec(line)
    if (m) names.push(m[2] !== undefined ? JSON.parse(`"${m[2]}"`) : m[3])
  }
  return names
}

/** Pairs of names where one holds the other, case aside (`getByRole`'s default matching). */
function overlaps(names: string[]): string[] {
  const out: string[] = []
  for (const a of names) for (const b of names) if (a !== b && b.toLowerCase().includes(a.toLowerCase())) out.push(`"${a}" is inside "${b}"`)
  return out
}

describeInChromium('the panel\'s controls', () => {
  const suite = panelSuite('panel-names', ADMIN_TOKEN)
  const { open, done } = suite
  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Flight recorder' })

  it('each have a name that no other control\'s name holds, in every view', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], meta: { app: 'panel-names' } })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'todo-1', title: 'Todo 1', done: false }))
    store.dispatch(toggled('todo-1'))
    await recorder.close()
    await postAs(suite.withCollector.origin, 'panel-names-a', sink.text())
    const db = `panel-names-${Date.now()}`
    const { page } = await open(suite.withCollector, `idb=${db}&collector=${ADMIN_TOKEN}`)
    await page.getByRole('button', { name: 'Add todo' }).click()
    const earlier = await flushAndReload(page)
    await page.getByRole('button', { name: 'Add todo' }).click()
    await page.getByRole('button', { name: 'Toggle first' }).click()
    const mine: string = await page.evaluate(() => (window as any).app.recorder.session)
    await page.evaluate(() => (window as any).app.recorder.flush())
    const host = page.locator('flight-recorder-panel')

    const views: Record<string, string[]> = {}
    views.closed = await controlNames(host)
    await page.keyboard.press('Control+Shift+F')
    const panel = dialog(page)
    await panel.getByRole('button', { name: 'Refresh the list' }).click()
    await eventually(async () => expect(await panel.getByRole('list', { name: 'Stored sessions' }).getByRole('listitem').count()).toBe(2))
    await eventually(async () => expect(await panel.getByRole('list', { name: 'Collector sessions' }).getByRole('listitem').count()).toBe(1))
    views.opened = await controlNames(host)
    // Every row's controls are there: both stored sessions (this tab's cannot be deleted) and the collector's.
    for (const id of [earlier, mine, 'panel-names-a']) expect(views.opened.filter((n) => n.includes(id)).length).toBeGreaterThanOrEqual(1)
    expect(views.opened.filter((n) => n.includes(earlier))).toHaveLength(3)
    expect(views.opened.filter((n) => n.includes(mine))).toHaveLength(2)

    // The first press of Delete arms it ("Confirm delete"): its row's names then.
    await panel.getByRole('button', { name: `Delete session ${earlier}`, exact: true }).click()
    await panel.getByRole('button').filter({ hasText: 'Confirm delete' }).waitFor()
    views['delete armed'] = await controlNames(host)

    // The timeline of this tab's session replayed against a reducer that diverges.
    await panel.getByRole('button', { name: "Replay this tab's session" }).click()
    await panel.getByRole('combobox', { name: 'Replay against' }).selectOption('the regressed toggle')
    await panel.getByRole('button', { name: 'Go to the divergence' }).waitFor()
    views.timeline = await controlNames(host)
    expect(views.timeline).toEqual(expect.arrayContaining(['Go to the divergence', 'Copy as test', 'Download this log', 'Start', 'Back', 'Forward', 'Step number', 'Steps']))

    for (const [view, names] of Object.entries(views)) {
      expect(names.length, view).toBeGreaterThan(0)
      expect(overlaps(names), `${view}: ${JSON.stringify(names)}`).toEqual([])
    }
    await done(page)
  }, 90_000)
})
