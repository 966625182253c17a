// recordSession with a store factory that takes the recorder itself (issue 15, case 7).
import { configureStore, createSlice } from '@reduxjs/toolkit'
import type { FlightRecorder, Recording } from 'redux-flight-recorder'
import { recordSession } from 'redux-flight-recorder/testing'

const counter = createSlice({ name: 'c', initialState: 0, reducers: { inc: (n) => n + 1 } })
function makeStore(recorder: FlightRecorder) {
  return configureStore({
    reducer: { c: counter.reducer },
    middleware: (g) => g().prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
}
export const log: Promise<Recording> = recordSession(
  (rec) => makeStore(rec),
  (store) => {
    store.dispatch(counter.actions.inc())
    const n: number = store.getState().c
    void n
  },
)
// A factory taking only { enhancer, middleware } still fits.
export const log2: Promise<Recording> = recordSession((rec: { enhancer: FlightRecorder['enhancer']; middleware: FlightRecorder['middleware'] }) => makeStore(rec as FlightRecorder), () => {})
