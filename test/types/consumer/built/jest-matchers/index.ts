// Jest 30 (`expect`, as `@jest/globals` uses it), with the type parameters Jest declares, as the testing typings document.
import { expect } from '@jest/globals'
import { flightRecorderMatchers, type FlightRecorderMatchers } from 'redux-flight-recorder/testing'
import type { Reducer } from 'redux'

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends FlightRecorderMatchers<R> {}
}

expect.extend(flightRecorderMatchers)
declare const reducer: Reducer<{ n: number }>
const r: void = expect('').toReplayOn(reducer)
void r
expect('').not.toReplayOn({ reducer, allowUnverified: true })
// @ts-expect-error the matcher takes a reducer or replay options
expect('').toReplayOn('nope')
// onStep's step.state takes the reducer's state type (acceptance run, session 41).
expect('').toReplayOn({
  reducer,
  onStep: (step) => {
    const n: number = step.state.n
    // @ts-expect-error no such key in the reducer's state
    void step.state.missing
    void n
  },
})
