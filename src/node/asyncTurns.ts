import { AsyncLocalStorage } from 'node:async_hooks'
import type { AsyncTurns } from 'redux-flight-recorder'

/** The turns of every `asyncTurns()` in the current async context, innermost first. */
interface Frame {
  owner: object
  turn: number
  up: Frame | undefined
}

/**
 * One storage for every `asyncTurns()`: in Node 20 an `AsyncLocalStorage` is never released (it
 * stays in Node's list until `disable()`), and each new promise or timer visits every one, so a
 * storage per request made a server slower with each request it had served.
 */
let shared: AsyncLocalStorage<Frame> | undefined

/**
 * Carries the recorder's turn across `await` in Node, on `AsyncLocalStorage`: a plain thunk, a
 * listener-middleware effect or a saga keeps the turn of the dispatch that started it after
 * `await`. Pass a fresh one to each recorder (one per request on a server costs nothing that
 * outlives the request).
 *
 * @example
 * const recorder = createFlightRecorder({ turns: asyncTurns() })
 */
export function asyncTurns(): AsyncTurns {
  const owner = {}
  const storage = (shared ??= new AsyncLocalStorage<Frame>())
  return {
    current: () => {
      for (let f = storage.getStore(); f; f = f.up) if (f.owner === owner) return f.turn
      return undefined
    },
    run: (turn, fn) => {
      let up = storage.getStore()
      // This recorder's own outer turn is hidden by the new one: drop it so the chain stays short.
      if (up?.owner === owner) up = up.up
      return storage.run({ owner, turn, up }, fn)
    },
  }
}
