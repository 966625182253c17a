import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { type Recording } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { describe, expect, it } from 'vitest'
import { rootReducer } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { setupBrowserSuite } from './suite'

/**
 * The Redux DevTools extension cannot be loaded in headless Chromium, so the fixture app installs a
 * stand-in for `window.__REDUX_DEVTOOLS_EXTENSION_COMPOSE__` built from `@redux-devtools/instrument`
 * the way the extension builds its compose (test/fixtures/browser/devtoolsStandIn.ts).
 */
const ORDERS = [
  // Redux Toolkit's default: configureStore picks up the extension's compose, which puts DevTools'
  // instrument innermost; `.concat(recorder.enhancer)` wraps it.
  { devtools: 'extension', name: 'the extension compose (DevTools inside the recorder)' },
  // compose(instrument(), recorder.enhancer): DevTools outside, lifting the recorder's reducer.
  { devtools: 'outer', name: 'compose(instrument(), recorder.enhancer) (DevTools outside the recorder)' },
]

const download = async (page: Page): Promise<Recording> => {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
  return parseRecording(await readFile((await file.path())!, 'utf8'))
}
const state = (page: Page) => page.evaluate(() => (window as any).app.store.getState())

describeInChromium('the recorder with Redux DevTools (Chromium)', () => {
  const suite = setupBrowserSuite()

  describe.each(ORDERS)('$name', ({ devtools }) => {

    it('leaves the app and DevTools working: DevTools sees every app action', async () => {
      const page = await suite.openApp({ devtools })
      await page.click('#add')
      await page.click('#add')
      await page.click('#toggle')
      const lifted = await page.evaluate(() => {
        const { liftedStore } = (window as any).app.store
        const s = liftedStore.getState()
        return { types: s.stagedActionIds.map((id: number) => s.actionsById[id].action.type), index: s.currentStateIndex }
      })
      expect(lifted).toEqual({ types: ['@@INIT', 'todos/added', 'todos/added', 'todos/toggled'], index: 3 })
      expect(await state(page)).toMatchObject({ todos: { ids: ['todo-1', 'todo-2'], entities: { 'todo-1': { done: true } } } })
    })

    it("records the app's actions, not DevTools' lifted ones, and the download replays", async () => {
      const page = await suite.openApp({ devtools })
      await page.click('#add')
      await page.click('#add')
      await page.click('#toggle')
      const recording = await download(page)
      // a download ends with a checkpoint of the current state
      expect(recording.entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/toggled', '@@checkpoint'])
      expect(recording.header.state).toMatchObject({ todos: { ids: [] }, filter: { show: 'all' } })
      const result = replay(recording, { reducer: rootReducer })
      expect(result).toMatchObject({ ok: true, verified: true, steps: 3 })
      expect(result.state).toEqual(await state(page))
    })

    it('notes a DevTools time travel as a @@lifecycle entry with the state, so the log still replays', async () => {
      const page = await suite.openApp({ devtools })
      await page.click('#add')
      await page.click('#add')
      await page.click('#toggle')
      // Skip "todos/added todo-2" in the DevTools monitor, then go on using the app.
      await page.evaluate(() => {
        const { app } = window as any
        app.store.liftedStore.dispatch(app.devtools.toggleAction(2))
      })
      expect((await state(page)).todos.ids).toEqual(['todo-1'])
      await page.click('#add')

      const recording = await download(page)
      const kinds = recording.entries.map((e) => e.kind)
      expect(kinds.filter((k) => k !== '@@lifecycle')).toEqual(['todos/added', 'todos/added', 'todos/toggled', 'todos/added', '@@checkpoint'])
      const travel = recording.entries.find((e) => e.kind === '@@lifecycle')!
      expect(kinds.indexOf('@@lifecycle')).toBe(3)
      expect(travel.body).toMatchObject({ event: 'devtools-state-change' })
      expect(recording.entries.filter(isActionEntry)).toHaveLength(4)
      const result = replay(recording, { reducer: rootReducer })
      expect(result).toMatchObject({ ok: true, verified: true })
      expect(result.state).toEqual(await state(page))
    })
  })
})
