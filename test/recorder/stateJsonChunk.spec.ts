import { configureStore, createSlice } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { StateJson } from '../../src/stateJson'

const slice = createSlice({
  name: 'n',
  initialState: { n: 0, items: Array.from({ length: 100 }, (_, i) => ({ id: i, title: `item ${i}` })) },
  reducers: { inc: (s) => void s.n++ },
})

function setup(options: Parameters<typeof createFlightRecorder>[0] = {}) {
  const recorder = createFlightRecorder(options)
  const store = configureStore({ reducer: slice.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  return { recorder, store }
}

afterEach(() => void vi.restoreAllMocks())

describe('the state-json chunk (loaded when the recorder starts)', () => {
  it('is not waited for: the log reads synchronously before it arrives, with the bytes it writes once it is there', async () => {
    const write = vi.spyOn(StateJson.prototype, 'write')
    const prepare = vi.spyOn(StateJson.prototype, 'prepare')
    const { recorder, store } = setup({ sinks: [memorySink()] })
    const initial = store.getState()
    store.dispatch(slice.actions.inc())
    store.dispatch(slice.actions.inc())
    // Synchronously after dispatch (DESIGN.md): the chunk cannot have loaded yet.
    const early = recorder.toJSONL({ finalState: true })
    expect(write).not.toHaveBeenCalled()
    // Once it has loaded, the recorder prepares the header's state off the dispatch path…
    await vi.waitFor(() => expect(prepare).toHaveBeenCalledWith(initial))
    // …and writes the same header and checkpoint with it.
    const late = recorder.toJSONL({ finalState: true })
    expect(write).toHaveBeenCalled()
    const [earlyHeader, ...earlyEntries] = early.trimEnd().split('\n')
    const [lateHeader, ...lateEntries] = late.trimEnd().split('\n')
    expect(lateHeader).toBe(earlyHeader)
    expect(lateEntries.slice(0, earlyEntries.length)).toEqual(earlyEntries)
    const strip = (line: string) => line.replace(/^\{"seq":\d+,"ts":"[^"]+","t":[\d.]+/, '')
    expect(earlyEntries.at(-1)).toMatch(/"kind":"@@checkpoint","state":\{"n":2,/)
    expect(strip(lateEntries.at(-1)!)).toBe(strip(earlyEntries.at(-1)!))
    await recorder.close()
  })

  it('is not loaded with `serializeState` or without fr64 (whose caches it relies on)', async () => {
    const write = vi.spyOn(StateJson.prototype, 'write')
    for (const options of [{ serializeState: (s: unknown) => s }, { hash: false as const }]) {
      const { recorder, store } = setup({ sinks: [memorySink()], ...options })
      store.dispatch(slice.actions.inc())
      // A recorder with fr64, started after these, has loaded its chunk: these two had every chance to.
      const fr64 = setup()
      const prepare = vi.spyOn(StateJson.prototype, 'prepare')
      fr64.store.dispatch(slice.actions.inc())
      await vi.waitFor(() => {
        fr64.recorder.toJSONL({ finalState: true })
        expect(write).toHaveBeenCalled()
      })
      write.mockClear()
      expect(recorder.toJSONL({ finalState: true })).toContain('"kind":"@@checkpoint","state":{"n":1,')
      expect(write).not.toHaveBeenCalled()
      expect(prepare).not.toHaveBeenCalled()
      await recorder.close()
      await fr64.recorder.close()
    }
  })
})
