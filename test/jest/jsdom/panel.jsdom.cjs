// The panel opens and works under Jest 30 + jest-environment-jsdom (docs/panel.md says so), through
// dist/panel.cjs. It could not: the CommonJS launcher loaded its UI with `import('./panel-ui.cjs')`,
// which Jest (no --experimental-vm-modules) rejects ("A dynamic import callback was invoked
// without --experimental-vm-modules"); and the UI paused with a MessageChannel, which Jest's jsdom
// environment does not have (ReferenceError). globalsCleanup stays at its default.
const { createFlightRecorder } = require('redux-flight-recorder')
const { mountFlightRecorderPanel } = require('redux-flight-recorder/panel')
const { makeReducer, makeStore, reducer } = require('../todoApp.cjs')

const { actions } = makeReducer()

/** Waits, one task at a time (at most `max` tasks), until `found()` returns something. */
async function until(found, max = 2000) {
  for (let i = 0; i < max; i++) {
    const value = found()
    if (value) return value
    await new Promise((r) => setTimeout(r, 0))
  }
  throw new Error(`not there after ${max} tasks`)
}

test('the panel opens, shows its sections and replays this tab\'s session', async () => {
  expect(typeof MessageChannel).toBe('undefined') // what Jest's jsdom environment has
  const errors = jest.spyOn(console, 'error')
  const recorder = createFlightRecorder()
  const store = makeStore(recorder)
  store.dispatch(actions.added({ id: 'a', title: 'jsdom', done: false }))
  store.dispatch(actions.toggled('a'))
  const panel = mountFlightRecorderPanel(recorder, { reducer })
  const host = document.querySelector('flight-recorder-panel')
  expect(host).not.toBeNull()
  await panel.open()
  const dialog = host.shadowRoot.querySelector('[role=dialog]')
  expect(dialog).not.toBeNull()
  // The sections go in one task at a time (the UI's pauses), then the session replays in slices.
  const replayButton = await until(() => [...dialog.querySelectorAll('button')].find((b) => b.textContent === "Replay this tab's session"))
  expect(dialog.textContent).toContain('Report a problem')
  replayButton.click()
  const summary = await until(() => {
    const text = dialog.querySelector('.summary')?.textContent
    return text && !text.startsWith('Replaying') && text
  })
  expect(summary).toMatch(/^✓ Verified: 2 steps replayed/)
  panel.unmount()
  expect(document.querySelector('flight-recorder-panel')).toBeNull()
  await recorder.close()
  expect(errors).not.toHaveBeenCalled()
})
