// A Vitest 4 consumer's setup, as the testing typings document it.
import { expect } from 'vitest'
import { flightRecorderMatchers, type FlightRecorderMatchers } from 'redux-flight-recorder/testing'
import type { Reducer } from 'redux'

declare module 'vitest' {
  interface Matchers<T = any> extends FlightRecorderMatchers<T> {}
}

expect.extend(flightRecorderMatchers)
declare const reducer: Reducer<{ n: number }>
expect('{"kind":"@@session"}').toReplayOn(reducer)
expect('').toReplayOn({ reducer, allowIncomplete: true, allowLossy: ['payload.at'] })
// @ts-expect-error the matcher takes a reducer or replay options
expect('').toReplayOn(42)
