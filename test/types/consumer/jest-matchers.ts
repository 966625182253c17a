// A Jest 30 consumer's setup (the `expect` package), as the testing typings document it.
import { expect } from 'expect'
import { flightRecorderMatchers, type FlightRecorderMatchers } from 'redux-flight-recorder/testing'
import type { Reducer } from 'redux'

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends FlightRecorderMatchers<R> {}
}

expect.extend(flightRecorderMatchers)
declare const reducer: Reducer<{ n: number }>
const r: void = expect('').toReplayOn(reducer)
void r
// @ts-expect-error the matcher takes a reducer or replay options
expect('').toReplayOn('nope')
