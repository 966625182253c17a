// The web demo's entry: the demo todo app (demo/app, shared with `npm run demo`) recorded by a
// flight recorder into IndexedDB, with a devtools panel beside it. Bundled by demo/web/server.ts.
import { createFlightRecorder } from 'redux-flight-recorder'
import { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'
import { reducer as regressedReducer } from '../app/regressed'
import { makeStore, reducer } from '../app/store'
import { mountPanel } from './panel'
import { mountTodoApp } from './todoView'

const IDB_NAME = 'demo-todos'

const recorder = createFlightRecorder({
  sinks: [indexedDbSink({ name: IDB_NAME, maxSessions: 8 })],
  meta: { app: 'demo-todos@1.0.0', runtime: navigator.userAgent },
  checkpointEvery: 10,
})
// The API answers on this origin (demo/web/server.ts hands /todos/sync to demo/app/server.ts).
const store = makeStore({ apiUrl: location.origin, recorder })
recordPageLifecycle(recorder)

mountTodoApp(store)
const panel = mountPanel({
  recorder,
  idbName: IDB_NAME,
  reducers: { current: reducer, regressed: regressedReducer },
  subscribe: (listener) => void store.subscribe(listener),
})

// For the console and the end-to-end test.
Object.assign(window, { demo: { store, recorder, panel } })
void panel.refreshSessions().finally(() => (document.documentElement.dataset.ready = 'true'))
