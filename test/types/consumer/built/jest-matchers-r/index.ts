// Jest 30 (`expect`), the short form `interface Matchers<R>`.
import { expect } from '@jest/globals'
import { flightRecorderMatchers, type FlightRecorderMatchers } from 'redux-flight-recorder/testing'
import type { Reducer } from 'redux'

declare module 'expect' {
  interface Matchers<R> extends FlightRecorderMatchers<R> {}
}

expect.extend(flightRecorderMatchers)
declare const reducer: Reducer<{ n: number }>
const r: void = expect('').toReplayOn(reducer)
void r
expect('').not.toReplayOn({ reducer, allowUnverified: true })
// @ts-expect-error the matcher takes a reducer or replay options
expect('').toReplayOn('nope')
