// Vitest 4, the augmentation Vitest's docs gave before 3.2: `interface Assertion<T = any>`.
import { expect } from 'vitest'
import { flightRecorderMatchers, type FlightRecorderMatchers } from 'redux-flight-recorder/testing'
import type { Reducer } from 'redux'

declare module 'vitest' {
  interface Assertion<T = any> extends FlightRecorderMatchers<T> {}
}

expect.extend(flightRecorderMatchers)
declare const reducer: Reducer<{ n: number }>
expect('{"kind":"@@session"}').toReplayOn(reducer)
expect('').not.toReplayOn({ reducer, allowIncomplete: true, allowLossy: ['payload.at'] })
await expect(Promise.resolve('')).resolves.toReplayOn(reducer)
// @ts-expect-error the matcher takes a reducer or replay options
expect('').toReplayOn(42)
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
