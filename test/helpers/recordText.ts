import { configureStore, type Reducer } from '@reduxjs/toolkit'
import { createFlightRecorder, memorySink, type FlightRecorderOptions } from 'redux-flight-recorder'

/**
 * Records `run(dispatch)` on a real RTK store with `reducer` (a fixed clock, so two runs write the
 * same times) and returns the log's JSONL, ending with @@end (the full state). `serializableCheck`:
 * RTK's development check, off for states that hold values JSON cannot carry on purpose.
 */
export async function recordText(
  reducer: Reducer,
  run: (dispatch: (a: unknown) => void) => void,
  options: FlightRecorderOptions = {},
  serializableCheck = true,
): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, ...options })
  const store = configureStore({
    reducer,
    middleware: (g) => (serializableCheck ? g() : g({ serializableCheck: false })).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  run((a) => store.dispatch(a as never))
  await recorder.close()
  return sink.text()
}
