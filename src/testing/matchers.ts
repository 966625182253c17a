import type { Reducer } from 'redux'
import type { Recording } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'
import { notAPath, replayFailure, type ExpectReplayOptions } from './expectReplay'
import { plural } from '../internal/plural'

/**
 * Matchers for `expect.extend` (Vitest and Jest; no test-framework import):
 * `expect(recording).toReplayOn(reducer)` or `.toReplayOn({ reducer, ...options })`. The failure
 * message is the same report `expectReplay` throws.
 *
 * @example
 * expect.extend(flightRecorderMatchers)
 * expect(log).toReplayOn(rootReducer)
 */
export const flightRecorderMatchers = {
  toReplayOn(received: Recording | string, reducerOrOptions: Reducer<any, any> | ExpectReplayOptions) {
    const options: ExpectReplayOptions = typeof reducerOrOptions === 'function' ? { reducer: reducerOrOptions } : reducerOrOptions
    notAPath(received, 'toReplayOn')
    const result = replay(received, options)
    const failure = replayFailure(result, options ?? {})
    return {
      pass: failure === null,
      message: () =>
        failure === null
          ? `expected the recording not to replay, but it replayed ok (${plural(result.steps, 'step')}, ${plural(result.checked, 'check')})`
          : `expected the recording to replay:\n${failure.report}`,
    }
  },
}

/**
 * The matcher's type, for your test setup (a `.d.ts` or the setup file). Vitest 4:
 * `declare module 'vitest' { interface Matchers<T = any> extends FlightRecorderMatchers<T> {} }`.
 * Vitest 5 declares Jest's parameters (the Vitest 4 form fails with TS2428):
 * `declare module 'vitest' { interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> extends FlightRecorderMatchers<R> {} }`.
 * Jest 30 (`expect`): `declare module 'expect' { interface Matchers<R extends void | Promise<void>, T = unknown> extends FlightRecorderMatchers<R> {} }`.
 * The type parameters must be written exactly as the framework declares them.
 */
export interface FlightRecorderMatchers<R = unknown> {
  /**
   * Passes when the recording replays with every hash matching. With options, `S` (the state's
   * type) comes from their `reducer`, so `onStep`'s `step.state` is typed.
   */
  toReplayOn<S>(options: ExpectReplayOptions<S>): R
  /**
   * Passes when the recording replays on the reducer (or options) with every hash matching.
   * (Last: the form `.resolves`/`.rejects` map, which cannot keep a type parameter.)
   */
  toReplayOn(reducerOrOptions: Reducer<any, any> | ExpectReplayOptions): R
}
