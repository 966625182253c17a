import { AsyncLocalStorage } from 'node:async_hooks'
import type { AsyncTurns } from 'redux-flight-recorder'

/**
 * Carries the recorder's turn across `await` in Node, on `AsyncLocalStorage`: a plain thunk, a
 * listener-middleware effect or a saga keeps the turn of the dispatch that started it after
 * `await`. Pass a fresh one to each recorder.
 *
 * @example
 * const recorder = createFlightRecorder({ turns: asyncTurns() })
 */
export function asyncTurns(): AsyncTurns {
  const storage = new AsyncLocalStorage<number>()
  return {
    current: () => storage.getStore(),
    run: (turn, fn) => storage.run(turn, fn),
  }
}
