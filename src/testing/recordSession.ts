import type { Middleware, StoreEnhancer } from 'redux'
import { createFlightRecorder, type FlightRecorder, type FlightRecorderOptions, type Recording } from 'redux-flight-recorder'

/** What `recordSession` gives the store builder: put both in the store. */
export interface SessionRecorderParts {
  /** The recorder's store enhancer: add it to the store's enhancers. */
  enhancer: StoreEnhancer
  /** The recorder's middleware (turns): first in the store's middleware. */
  middleware: Middleware
}

/**
 * Builds a store with a recorder (`build` gets the recorder itself, so a `makeStore(recorder:
 * FlightRecorder)` fits as well as one that takes `{ enhancer, middleware }`), runs a script against it and returns the recording (closed, so
 * it ends with the final state).
 *
 * @example
 * const log = await recordSession(
 *   (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
 *   async (store) => { store.dispatch(added('milk')) },
 * )
 */
export async function recordSession<S>(
  build: (rec: FlightRecorder) => S,
  script: (store: S) => void | Promise<void>,
  options: FlightRecorderOptions = {},
): Promise<Recording> {
  if (typeof build !== 'function' || typeof script !== 'function') {
    throw new TypeError('[redux-flight-recorder] Expected recordSession(build, script): two functions, one building the store from { enhancer, middleware }, one running the session.')
  }
  const recorder = createFlightRecorder({ maxEntries: 1_000_000, maxBytes: 512 * 1024 * 1024, ...options })
  const store = build(recorder)
  try {
    await script(store)
  } finally {
    await recorder.close()
  }
  return recorder.snapshot()
}
