import { configureStore, createSlice } from '@reduxjs/toolkit'
import { createFlightRecorder, memorySink, type Sink } from 'redux-flight-recorder'
import { describe, expect, it } from 'vitest'

// The panel's indicator shows `recorder.stats().sinkErrors`: every fault a sink raised.
describe('recorder.stats().sinkErrors', () => {
  const slice = createSlice({ name: 'n', initialState: { n: 0 }, reducers: { inc: (s) => void s.n++ } })

  it('counts the faults of failing sinks, the same ones onError receives, and stays 0 for healthy ones', async () => {
    const faults: string[] = []
    let failing = true
    const flaky: Sink = {
      write() {
        if (failing) throw new Error('the disk is full')
      },
    }
    const recorder = createFlightRecorder({ sinks: [flaky, memorySink()], onError: (e) => faults.push(e.source) })
    const store = configureStore({ reducer: slice.reducer, enhancers: (g) => g().concat(recorder.enhancer) })
    expect(recorder.stats().sinkErrors).toBe(0)
    store.dispatch(slice.actions.inc())
    await recorder.flush().catch(() => {})
    const after = recorder.stats().sinkErrors
    expect(after).toBeGreaterThan(0)
    expect(after).toBe(faults.filter((s) => s === 'sink').length)
    failing = false
    store.dispatch(slice.actions.inc())
    await recorder.flush()
    expect(recorder.stats().sinkErrors).toBe(faults.filter((s) => s === 'sink').length)

    const healthy = createFlightRecorder({ sinks: [memorySink()] })
    const other = configureStore({ reducer: slice.reducer, enhancers: (g) => g().concat(healthy.enhancer) })
    other.dispatch(slice.actions.inc())
    await healthy.flush()
    expect(healthy.stats().sinkErrors).toBe(0)
    await recorder.close().catch(() => {})
    await healthy.close()
  })
})
