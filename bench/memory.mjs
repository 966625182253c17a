/**
 * Retained memory per buffered entry (run with --expose-gc). Prints one JSON object.
 *
 * Method: a 1 KB store with a recorder (default options: fr64, 10,000-entry buffer, no sink).
 * Dispatch 1,000 actions, let deferred hashing finish, collect garbage twice and read
 * heapUsed + arrayBuffers (the ring's typed arrays live outside the JS heap); dispatch 9,000
 * more (the buffer then holds 10,000 entries, its default bound, nothing trimmed), settle and
 * read again. The difference divided by 9,000 is what one buffered entry keeps alive: the action
 * object the app created (kept by reference), the ring's columns (with their growth slack), the
 * anchors' share and fr64's records. The same sequence on a store without the recorder gives the
 * baseline (the app's own state), subtracted. The action object alone is measured the same way
 * (100,000 actions held in a preallocated array).
 */
import { actionMaker, makeReducer, makeState } from './state.mjs'

process.env.NODE_ENV = 'production'
const { createFlightRecorder } = await import('redux-flight-recorder')
const { applyMiddleware, compose, legacy_createStore: createStore } = await import('redux')

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
const tick = () => new Promise((resolve) => setImmediate(resolve))
async function settle() {
  for (let i = 0; i < 5; i++) await tick()
  globalThis.gc()
  globalThis.gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

const FIRST = 1000
const MORE = 9000

async function run(withRecorder) {
  const state = makeState(1000)
  let store
  let recorder
  if (withRecorder) {
    recorder = createFlightRecorder()
    store = createStore(makeReducer(state), compose(applyMiddleware(recorder.middleware), recorder.enhancer))
  } else store = createStore(makeReducer(state))
  const mk = actionMaker(state.ids)
  for (let i = 0; i < FIRST; i++) store.dispatch(mk())
  const before = await settle()
  for (let i = 0; i < MORE; i++) {
    store.dispatch(mk())
    if (i % 500 === 499) await tick()
  }
  const after = await settle()
  const buffered = recorder ? recorder.stats().buffered : 0
  // Keep everything alive until measured.
  globalThis.__keep = [store, recorder]
  if (recorder) await recorder.close()
  globalThis.__keep = undefined
  return { perDispatch: (after - before) / MORE, buffered }
}

async function actionSize() {
  const K = 100_000
  const held = new Array(K).fill(0)
  const mk = actionMaker(makeState(1000).ids)
  const before = await settle()
  for (let i = 0; i < K; i++) held[i] = mk()
  const after = await settle()
  globalThis.__keep = held
  globalThis.__keep = undefined
  return (after - before) / K
}

const samples = { rec: [], bare: [], action: [] }
for (let r = 0; r < 5; r++) {
  samples.bare.push((await run(false)).perDispatch)
  const rec = await run(true)
  if (rec.buffered !== FIRST + MORE) throw new Error(`expected ${FIRST + MORE} buffered entries, found ${rec.buffered}`)
  samples.rec.push(rec.perDispatch)
  samples.action.push(await actionSize())
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const out = {
  method: 'heapUsed + arrayBuffers after two full GCs, 1,000 → 10,000 buffered entries (1 KB state, default options, no sink), minus the same without the recorder; median of 5',
  perEntry: median(samples.rec) - median(samples.bare),
  recorderRaw: median(samples.rec),
  bareRaw: median(samples.bare),
  actionObject: median(samples.action),
  samples,
  node: process.version,
}
console.log(JSON.stringify(out))
