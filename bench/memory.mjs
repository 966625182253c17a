/**
 * Retained memory per buffered entry (run with --expose-gc). Prints one JSON object.
 *
 * Method: a 1 KB store with a recorder (fr64, no sink; the buffer bound set to the entries measured).
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
// `recorder.flush()` first: it resolves once every state waiting in the hash queue is hashed. Five
// event-loop turns were not always enough after a 10,000-dispatch burst (session 30): states still
// waiting at the first reading made it larger by ~2 MB, and the figure ~22 B per entry too small
// (93 B on 2026-12-03, when a larger queue bound let the whole burst wait).
async function settle(recorder) {
  if (recorder) await recorder.flush()
  for (let i = 0; i < 5; i++) await tick()
  globalThis.gc()
  globalThis.gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

async function run(withRecorder, FIRST, MORE) {
  const state = makeState(1000)
  let store
  let recorder
  if (withRecorder) {
    // maxBytes past what 100,000 entries take (8 MiB by default held ~45,000 of them: the check
    // below failed, and `npm run bench` with it, when session 29 ran it).
    recorder = createFlightRecorder({ maxEntries: FIRST + MORE, maxBytes: 1024 ** 3 })
    store = createStore(makeReducer(state), compose(applyMiddleware(recorder.middleware), recorder.enhancer))
  } else store = createStore(makeReducer(state))
  const mk = actionMaker(state.ids)
  for (let i = 0; i < FIRST; i++) store.dispatch(mk())
  const before = await settle(recorder)
  for (let i = 0; i < MORE; i++) {
    store.dispatch(mk())
    if (i % 500 === 499) await tick()
  }
  const after = await settle(recorder)
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

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
async function measure(first, more, rounds) {
  const samples = { rec: [], bare: [] }
  for (let r = 0; r < rounds; r++) {
    samples.bare.push((await run(false, first, more)).perDispatch)
    const rec = await run(true, first, more)
    if (rec.buffered !== first + more) throw new Error(`expected ${first + more} buffered entries, found ${rec.buffered}`)
    samples.rec.push(rec.perDispatch)
  }
  return { perEntry: median(samples.rec) - median(samples.bare), samples: samples.rec.map((x) => x - median(samples.bare)) }
}
// The figure: a 100,000-entry buffer filled from 10,000 to 100,000 (heap jitter of a few hundred
// kB is then a few bytes per entry). The check: the default 10,000-entry buffer, 1,000 → 10,000.
const large = await measure(10_000, 90_000, 5)
const defaults = await measure(1_000, 9_000, 7)
const actions = []
for (let r = 0; r < 5; r++) actions.push(await actionSize())
const out = {
  method:
    'heapUsed + arrayBuffers after two full GCs, read with 10,000 and then 100,000 entries buffered (`maxEntries: 100000`, 1 KB state, fr64, no sink), minus the same sequence without the recorder, divided by 90,000; median of 5',
  perEntry: large.perEntry,
  samples: large.samples,
  defaultConfig: defaults.perEntry,
  defaultSamples: defaults.samples,
  actionObject: median(actions),
  node: process.version,
}
console.log(JSON.stringify(out))
