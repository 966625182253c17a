// Vitest 4, the form issue 15 reported as failing with TS2339: `interface Assertion<T>` (no default).
import { expect } from 'vitest'
import { flightRecorderMatchers, type FlightRecorderMatchers } from 'redux-flight-recorder/testing'
import type { Reducer } from 'redux'

declare module 'vitest' {
  interface Assertion<T> extends FlightRecorderMatchers<T> {}
}

expect.extend(flightRecorderMatchers)
declare const reducer: Reducer<{ n: number }>
expect('{"kind":"@@session"}').toReplayOn(reducer)
expect('').not.toReplayOn({ reducer, allowIncomplete: true, allowLossy: ['payload.at'] })
await expect(Promise.resolve('')).resolves.toReplayOn(reducer)
// @ts-expect-error the matcher takes a reducer or replay options
expect('').toReplayOn(42)
