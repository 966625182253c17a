import { applyMiddleware, compose, legacy_createStore as createStore, type Reducer, type StoreEnhancer } from 'redux'
import { afterEach, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { createFlightRecorder as createLazyRecorder, preloadFlightRecorder } from 'redux-flight-recorder/lazy'

// Node without a bundler answers `process.env.NODE_ENV` from the environment block on every read
// (~0.25 µs, a tenth of the recorder's own work on a small state), so the recorder's dispatch path
// must not read it. (A bundler replaces the reads with a literal; Node does not.) The store here is
// Redux alone with a reducer that reads nothing, so every read counted is the recorder's.

const realEnv = process.env
const mode = realEnv.NODE_ENV

afterEach(() => {
  process.env = realEnv
  process.env.NODE_ENV = mode
})

/** How many times `process.env.NODE_ENV` is read while `run` runs. */
function countReads(run: () => void): number {
  let reads = 0
  process.env = new Proxy(realEnv, {
    get(target, key) {
      if (key === 'NODE_ENV') reads++
      return Reflect.get(target, key)
    },
  })
  try {
    run()
  } finally {
    process.env = realEnv
  }
  return reads
}

const counter: Reducer<{ n: number; items: Record<string, { n: number }> }> = (state = { n: 0, items: {} }, action) =>
  action.type === 'inc' ? { n: state.n + 1, items: { ...state.items, [`i${state.n % 5}`]: { n: state.n } } } : state

it.each([
  ['redux-flight-recorder', false],
  ['redux-flight-recorder/lazy', true],
])('in production, a dispatch recorded by %s does not read process.env.NODE_ENV', async (_, lazy) => {
  process.env.NODE_ENV = 'production'
  if (lazy) await preloadFlightRecorder()
  const options = { sinks: [memorySink()], clock: () => 1_700_000_000_000 }
  const recorder = lazy ? createLazyRecorder(options) : createFlightRecorder(options)
  const store = createStore(counter, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as StoreEnhancer)
  for (let i = 0; i < 3; i++) store.dispatch({ type: 'inc', payload: { i } })
  const reads = countReads(() => {
    for (let i = 0; i < 100; i++) store.dispatch({ type: 'inc', payload: { i } })
  })
  expect(reads).toBe(0)
  // Recorded all the same.
  expect(recorder.snapshot().entries.filter((e) => 'action' in e)).toHaveLength(103)
  expect(store.getState().n).toBe(103)
})
