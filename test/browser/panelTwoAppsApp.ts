/**
 * A page for test/browser/panel-two.spec.ts: two stores, each with its own recorder (its own
 * `meta.app`) and its own panel, as on a page with two micro-frontends. `?labels=0` mounts both
 * panels without `label`. Bundled by `bundlePanelPage`.
 */
import { configureStore } from '@reduxjs/toolkit'
import { createFlightRecorder } from 'redux-flight-recorder'
import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'
import { added, rootReducer } from '../helpers/todoApp'

const labels = new URLSearchParams(location.search).get('labels') !== '0'
function app(name: string) {
  const recorder = createFlightRecorder({ meta: { app: name }, onError: () => {} })
  const store = configureStore({
    reducer: rootReducer,
    middleware: (g) => g().prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  return { recorder, store }
}
const shop = app('shop@1.4.0')
const checkout = app('checkout@2.0.1')
const panels = {
  shop: mountFlightRecorderPanel(shop.recorder, { reducer: rootReducer, ...(labels ? { label: 'shop@1.4.0' } : {}) }),
  checkout: mountFlightRecorderPanel(checkout.recorder, { reducer: rootReducer, position: 'bottom-left', hotkey: false, ...(labels ? { label: 'checkout@2.0.1' } : {}) }),
}
let next = 1
document.getElementById('add')!.addEventListener('click', () => {
  const id = `todo-${next++}`
  shop.store.dispatch(added({ id, title: `Todo ${id}`, done: false }))
})
Object.assign(window, { app: { shop, checkout, panels } })
document.documentElement.dataset.ready = 'true'
