/**
 * A page for test/browser/panel-http.spec.ts: the todo store recorded by httpSink to `/flight/collect`
 * (same origin: the page's CSP allows no other), retrying fast, with the panel. Bundled by `bundlePanelPage`.
 */
import { configureStore } from '@reduxjs/toolkit'
import { createFlightRecorder } from 'redux-flight-recorder'
import { httpSink } from 'redux-flight-recorder/browser'
import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'
import { added, rootReducer } from '../helpers/todoApp'

const recorder = createFlightRecorder({ sinks: [httpSink('/flight/collect', { retries: 1_000_000, retryDelayMs: 20, maxRetryDelayMs: 100 })], flushIntervalMs: 50, onError: () => {} })
const store = configureStore({
  reducer: rootReducer,
  middleware: (g) => g().prepend(recorder.middleware),
  enhancers: (g) => g().concat(recorder.enhancer),
})
mountFlightRecorderPanel(recorder, { reducer: rootReducer })
let next = 1
document.getElementById('add')!.addEventListener('click', () => {
  const id = `todo-${next++}`
  store.dispatch(added({ id, title: `Todo ${id}`, done: false }))
})
Object.assign(window, { app: { store, recorder } })
document.documentElement.dataset.ready = 'true'
