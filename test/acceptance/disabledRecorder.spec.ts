import { configureStore, createSlice } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, FlightRecorderError } from 'redux-flight-recorder'

// Acceptance: getting started says "To record nothing — in a build where you do not want it —
// pass `createFlightRecorder({ enabled: false })`: both become pass-throughs." The rest of the app
// still calls the recorder (a devtools button's `downloadRecording(recorder)`, the panel's "Report
// a problem", `recorder.toJSONL()` in an error handler). Failed before the fix in
// (src/recorder/recorder.ts, `toJSONL`/`snapshot`): on a disabled recorder whose enhancer *was*
// added, they throw "The recorder has no store yet: add `recorder.enhancer` to a store before
// reading its log." — which sends the user to check a setup that is right.
const slice = createSlice({ name: 'n', initialState: { n: 0 }, reducers: { inc: (s) => void s.n++ } })

function disabledStore() {
  const recorder = createFlightRecorder({ enabled: false })
  const store = configureStore({
    reducer: slice.reducer,
    middleware: (g) => g().prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  store.dispatch(slice.actions.inc())
  return { recorder, store }
}

describe('a recorder created with enabled: false, in a store', () => {
  it('the store works as without it', () => {
    const { store } = disabledStore()
    expect(store.getState()).toEqual({ n: 1 })
  })

  for (const method of ['toJSONL', 'snapshot'] as const) {
    it(`${method}() does not blame a missing enhancer: it says the recorder is disabled, or returns a log`, () => {
      const { recorder } = disabledStore()
      let message: string | null = null
      let value: unknown
      try {
        value = recorder[method]()
      } catch (error) {
        message = (error as Error).message
        // One of the package's errors, with a code to branch on.
        expect(error).toBeInstanceOf(FlightRecorderError)
        expect(error).toMatchObject({ code: 'disabled' })
      }
      if (message === null) expect(value).toBeTruthy()
      else {
        expect(message).not.toMatch(/add `recorder\.enhancer` to a store/)
        expect(message).toMatch(/enabled: false|disabled/)
      }
    })
  }
})
