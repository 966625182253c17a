/**
 * A page for test/browser/panel-acc31.spec.ts: the todo store recorded with a small in-memory
 * buffer (`maxEntries: 40`), so "Replay this tab's session" replays a trimmed buffer, as a session
 * of 15,004 actions does with the default 10,000 entries. No sink. Bundled by `bundlePanelPage`.
 */
import { configureStore } from '@reduxjs/toolkit'
import { createFlightRecorder } from 'redux-flight-recorder'
import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'
import { added, rootReducer, toggled } from '../helpers/todoApp'

const recorder = createFlightRecorder({ maxEntries: 40, onError: () => {} })
const store = configureStore({
  reducer: rootReducer,
  middleware: (g) => g().prepend(recorder.middleware),
  enhancers: (g) => g().concat(recorder.enhancer),
})
mountFlightRecorderPanel(recorder, { reducer: rootReducer })
/** Dispatches `n` actions: a todo added, then toggled. */
function dispatchMany(n: number) {
  store.dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
  for (let i = 1; i < n; i++) store.dispatch(toggled('todo-1'))
}
Object.assign(window, { app: { store, recorder, dispatchMany } })
document.documentElement.dataset.ready = 'true'
