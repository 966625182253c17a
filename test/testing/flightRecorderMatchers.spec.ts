import { afterAll, describe, expect, it } from 'vitest'
import { buggy, inMemoryReport, logDir } from './shared'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { flightRecorderMatchers } from 'redux-flight-recorder/testing'
import { rootReducer } from '../helpers/todoApp'

declare module 'vitest' {
  interface Assertion<T> {
    toReplayOn(reducerOrOptions: unknown): T
  }
}
expect.extend(flightRecorderMatchers)

const { good, goodText, remove } = await logDir()
afterAll(remove)

describe('flightRecorderMatchers', () => {
  it('toReplayOn passes with a reducer or options and fails with the report', () => {
    expect(good).toReplayOn(rootReducer)
    expect(goodText).toReplayOn({ reducer: rootReducer })
    expect(good).not.toReplayOn(buggy)
    expect(() => expect(good).toReplayOn(buggy)).toThrow(`expected the recording to replay:\n${inMemoryReport(formatDivergence(replay(good, { reducer: buggy })))}`)
    expect(() => expect(good).not.toReplayOn(rootReducer)).toThrow(/expected the recording not to replay, but it replayed ok \(2 steps, 3 checks\)/)
  })
})
