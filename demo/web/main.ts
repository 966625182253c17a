// The web demo's entry: the demo todo app (demo/app, shared with `npm run demo`) recorded by a
// flight recorder into IndexedDB and to the collector the demo server runs under /flight, with the
// package's own devtools panel (`redux-flight-recorder/panel`), opened at start, which lists both.
// Bundled by demo/web/server.ts.
import { createFlightRecorder } from 'redux-flight-recorder'
import { httpSink, indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'
import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'
import { reducer as regressedReducer, regression } from '../app/regressed'
import { playSession } from '../app/session'
import { makeStore, reducer } from '../app/store'
import { mountTodoApp } from './todoView'

const IDB_NAME = 'demo-todos'
// demo/web/server.ts says where its collector is, and its admin token (a local demo: a real app never
// hands the admin token to its users' pages).
const collectorMeta = document.querySelector<HTMLMetaElement>('meta[name="flight-recorder-collector"]')!
const collector = { url: collectorMeta.content, token: collectorMeta.dataset.token }

const recorder = createFlightRecorder({
  sinks: [indexedDbSink({ name: IDB_NAME, maxSessions: 8 }), httpSink(`${collector.url}/ingest`)],
  meta: { app: 'demo-todos@1.0.0', runtime: navigator.userAgent },
  checkpointEvery: 10,
})
// The API answers on this origin (demo/web/server.ts hands /todos/sync to demo/app/server.ts).
const store = makeStore({ apiUrl: location.origin, recorder })
recordPageLifecycle(recorder)

mountTodoApp(store)
const panel = mountFlightRecorderPanel(recorder, {
  reducer,
  // The scripted session (below) toggles an urgent todo, so replaying it against this one always
  // diverges there.
  reducers: { [regression]: regressedReducer },
  indexedDb: IDB_NAME,
  collector,
  storeModule: './store.ts',
})

// The scripted user of `npm run demo`, on a page that has no todos yet: its log always reaches the regression.
const play = document.getElementById('play-session') as HTMLButtonElement
const hasTodos = () => store.getState().todos.present.ids.length > 0
store.subscribe(() => (play.disabled ||= hasTodos()))
play.addEventListener('click', async () => {
  play.disabled = true
  try {
    await playSession(store)
  } finally {
    play.dataset.done = 'true'
  }
})

// For the console and the end-to-end test.
Object.assign(window, { demo: { store, recorder, panel } })
void panel.open().finally(() => (document.documentElement.dataset.ready = 'true'))
