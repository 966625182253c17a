/**
 * A page for test/browser/panel-keyboard.spec.ts: the todo store recorded into two sinks that both
 * take every line (IndexedDB, `?idb=<name>`, and one that keeps nothing, as an httpSink would send
 * its copy away), with the panel listing the IndexedDB one. Bundled by `bundlePanelPage`.
 */
import { configureStore } from '@reduxjs/toolkit'
import { createFlightRecorder } from 'redux-flight-recorder'
import { indexedDbSink } from 'redux-flight-recorder/browser'
import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'
import { added, rootReducer } from '../helpers/todoApp'

const idb = new URLSearchParams(location.search).get('idb') ?? 'two-sinks'
const recorder = createFlightRecorder({ sinks: [indexedDbSink({ name: idb }), { write() {} }], flushIntervalMs: 200, onError: () => {} })
const store = configureStore({
  reducer: rootReducer,
  middleware: (g) => g().prepend(recorder.middleware),
  enhancers: (g) => g().concat(recorder.enhancer),
})
mountFlightRecorderPanel(recorder, { reducer: rootReducer, indexedDb: idb })
let next = 1
document.getElementById('add')!.addEventListener('click', () => {
  const id = `todo-${next++}`
  store.dispatch(added({ id, title: `Todo ${id}`, done: false }))
})
Object.assign(window, { app: { store, recorder } })
document.documentElement.dataset.ready = 'true'
