// The same from CommonJS under Node16 resolution (dist/*.d.cts through the "require" condition).
import { configureStore, createSlice } from '@reduxjs/toolkit'
import { createFlightRecorder, type FlightRecorder, type Recording } from 'redux-flight-recorder'
import { recordSession, type SessionRecorderParts } from 'redux-flight-recorder/testing'

const counter = createSlice({ name: 'c', initialState: 0, reducers: { inc: (n) => n + 1 } })
// The store factory of an app: it takes the recorder itself (issue 15, case 7: TS2740 before).
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
  { meta: { app: 'types' } },
)
// A factory taking only { enhancer, middleware } fits too, and the recorder made by the root entry
// is the one the testing entry names (one declaration across entries).
export const log2: Promise<Recording> = recordSession((parts: SessionRecorderParts) => parts, () => {})
const fromRoot: FlightRecorder = createFlightRecorder()
void makeStore(fromRoot)
// @ts-expect-error the script gets the store the factory built
export const log3 = recordSession((rec) => makeStore(rec), (store: { notAStore: true }) => {})

// Replay through the built entries: the state typed as the store replayed into has it, and the
// replay a thrown error carries (declared by the replay entry on the core's error class).
import { ReplayDivergenceError } from 'redux-flight-recorder'
import { replay, type ReplayResult } from 'redux-flight-recorder/replay'
export const replayedCount = (text: string): number => replay(text, { reducer: counter.reducer }).state
// @ts-expect-error the state is the reducer's: a number
export const notAString = (text: string): string => replay(text, { reducer: counter.reducer }).state
export const viaStore = (text: string): number => replay(text, { createStore: (state) => configureStore({ reducer: counter.reducer, preloadedState: state }) }).state
export const replayOf = (error: unknown): ReplayResult | undefined => (error instanceof ReplayDivergenceError ? error.result : undefined)
