// A mark after close() is not in the log (it ended at close): development says so, once.
import { legacy_createStore as createStore } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'

afterEach(() => vi.restoreAllMocks())

describe('recorder.mark after close()', () => {
  it('warns once, and the log still ends at @@end', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = createStore((s: number = 0) => s + 1, recorder.enhancer)
    recorder.mark('before')
    await recorder.close()
    expect(warn).not.toHaveBeenCalled()
    recorder.mark('late')
    recorder.mark('later')
    store.dispatch({ type: 'after' })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0][0])).toBe('[redux-flight-recorder] recorder.mark("late") after close(): the log ended at close(), so it is not recorded (nor are later marks or actions).')
    const kinds = sink.text().trim().split('\n').map((l) => JSON.parse(l).kind)
    expect(kinds.at(-1)).toBe('@@end')
    expect(kinds).toContain('@@mark')
    expect(sink.text()).not.toContain('late')
  })
})
