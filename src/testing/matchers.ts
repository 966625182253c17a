import type { Reducer } from 'redux'
import { formatDivergence, replay, type Recording, type ReplayOptions } from 'redux-flight-recorder'

/**
 * Matchers for `expect.extend` (Vitest and Jest):
 * `expect(recording).toReplayOn(reducer)` or `.toReplayOn({ reducer, ...options })`.
 *
 * @example
 * expect.extend(flightRecorderMatchers)
 * expect(log).toReplayOn(rootReducer)
 */
export const flightRecorderMatchers = {
  toReplayOn(received: Recording | string, reducerOrOptions: Reducer<any, any> | ReplayOptions) {
    const options: ReplayOptions = typeof reducerOrOptions === 'function' ? { reducer: reducerOrOptions } : reducerOrOptions
    const result = replay(received, options)
    return {
      pass: result.ok,
      message: () =>
        result.ok
          ? `expected the recording not to replay, but it replayed ok (${result.steps} steps, ${result.checked} hashes checked)`
          : `expected the recording to replay:\n${formatDivergence(result)}`,
    }
  },
}

export interface FlightRecorderMatchers<R = unknown> {
  /** Passes when the recording replays on the reducer (or options) with every hash matching. */
  toReplayOn(reducerOrOptions: Reducer<any, any> | ReplayOptions): R
}
