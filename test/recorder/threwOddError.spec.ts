import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'

// An error whose message is not a string (review, session 28: `message.slice` threw in the writer,
// so the entry lost its `threw`, an @@error was written instead, and replay stopped at the crash).
describe('a reducer that throws an Error whose message is not a string', () => {
  it('is recorded as a crash with the message as text, and replays as recorded', () => {
    const reducer = (state = { n: 0 }, action: { type: string }) => {
      if (action.type === 'odd') throw Object.assign(new Error(), { message: 42 })
      return action.type === 'inc' ? { n: state.n + 1 } : state
    }
    const recorder = createFlightRecorder()
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    expect(() => store.dispatch({ type: 'odd' })).toThrow()
    store.dispatch({ type: 'inc' })
    const log = recorder.toJSONL()
    const rec = parseRecording(log)
    expect(rec.entries.filter(isActionEntry).map((e) => [e.kind, e.threw])).toEqual([
      ['inc', undefined],
      ['odd', { name: 'Error', message: '42' }],
      ['inc', undefined],
    ])
    expect(rec.entries.some((e) => e.kind === '@@error')).toBe(false)
    expect(replay(log, { reducer }).ok).toBe(true)
  })
})
