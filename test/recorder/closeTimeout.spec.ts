import { configureStore } from '@reduxjs/toolkit'
import { expect, it } from 'vitest'
import { createFlightRecorder, type Sink } from 'redux-flight-recorder'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { added, rootReducer, toggled } from '../helpers/todoApp'

// A sink whose first write never settles (a request the server holds open) and whose close()
// never settles either: close() must still end, within `sinkTimeoutMs` per wait, say so, and hand
// what was queued behind the stuck write to `writeSync`, as at exit, instead of dropping it.
it('close() ends when a sink never finishes a write or its own close, and hands the queued lines to writeSync', async () => {
  const asyncLines: string[] = []
  const syncLines: string[] = []
  let closes = 0
  const stuck: Sink = {
    write: (lines) => {
      asyncLines.push(...lines)
      return new Promise<void>(() => {})
    },
    writeSync: (lines) => void syncLines.push(...lines),
    close: () => {
      closes++
      return new Promise<void>(() => {})
    },
  }
  const errors: string[] = []
  const recorder = createFlightRecorder({ sinks: [stuck], sinkTimeoutMs: 100, flushIntervalMs: 600_000, onError: (e) => errors.push(e.message) })
  const store = configureStore({ reducer: rootReducer, enhancers: (g) => g().concat(recorder.enhancer) })
  store.dispatch(added({ id: 'a', title: 'a', done: false }))
  void recorder.flush() // the write that never settles
  await new Promise((r) => setTimeout(r, 10))
  store.dispatch(toggled('a'))
  store.dispatch(added({ id: 'b', title: 'b', done: false }))
  // Without a bound on the wait for the sink's close(), this never resolves (the test times out).
  await recorder.close()
  expect(closes).toBe(1)
  expect(errors.some((m) => m.includes('did not finish writing within 100 ms'))).toBe(true)
  expect(errors.some((m) => m.includes('did not close within 100 ms'))).toBe(true)
  // Nothing lost: what the stuck write took, then the rest by writeSync, `@@end` included.
  const log = parseRecording([...asyncLines, ...syncLines].join('\n') + '\n')
  expect(log.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['todos/added', 'todos/toggled', 'todos/added'])
  expect(syncLines.length).toBeGreaterThan(0)
  expect(log.end?.state).toEqual(store.getState())
})
