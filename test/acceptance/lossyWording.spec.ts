import { configureStore } from '@reduxjs/toolkit'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'

// Acceptance: replay names each lossy value by its key path, as docs/FORMAT.md ("Lossy values")
// quotes it: "payload.at was a Date, logged as its ISO string"; "state.tags is a Map: its
// contents are not in the log or the hash". Failed before the fix in: replay's
// warnings capitalised the first letter of the sentence, which is the path ("Payload.at was a
// Date", "State.tags is a Map"), so the path a user greps for is not in the text
// (src/replay/replayer.ts, `capitalize(describeLossy(…))`).
describe('replay warnings for lossy values', () => {
  it('keep the key path as written: payload.at, state.tags', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    // A plain reducer (Immer would need enableMapSet for a Map in state).
    const reducer = (s = { tags: new Map([['a', 1]]), at: '' }, a: { type: string; payload?: { at: unknown } }) =>
      a.type === 'events/happened' ? { ...s, at: String(a.payload?.at) } : s
    const recorder = createFlightRecorder()
    const store = configureStore({
      reducer,
      middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    store.dispatch({ type: 'events/happened', payload: { at: new Date(0) } })
    await recorder.close()
    const log = recorder.toJSONL() // the lines are written (and development warns) here: no sink
    warn.mockRestore()
    const { warnings, lossy } = replay(log, { reducer })
    expect(lossy.map((l) => `${l.where}:${l.path}:${l.kind}`)).toEqual(expect.arrayContaining(['state:tags:map', 'action:payload.at:date']))
    const text = warnings.join('\n')
    expect(text).toContain('payload.at was a Date, logged as its ISO string')
    expect(text).toContain('state.tags is a Map: its contents are not in the log or the hash')
  })
})
