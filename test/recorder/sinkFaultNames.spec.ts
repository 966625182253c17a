import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, type ErrorEntry, type RecorderFaultError, type Sink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'
import { added, makeStore } from '../helpers/todoApp'

// Acceptance 40 (helper-163): with `[indexedDbSink, httpSink]`, an IndexedDB hang and a CORS failure
// both read "A sink did not finish writing within 10000 ms …", in `onError` and in the `@@error`
// entry. With several sinks, a sink's fault names the sink by its place in `sinks`; the entry's
// fields are unchanged (only its message says more), and with one sink the text is as before.

const errorsIn = (text: string) =>
  parseRecording(text)
    .entries.filter((e): e is ErrorEntry => e.kind === '@@error')
    .map((e) => e.body)

describe("a sink's fault names the sink when the recorder has several", () => {
  it('a hanging sinks[1] next to a healthy sinks[0]: onError and the @@error entry name sinks[1], not sinks[0]', async () => {
    const good = memorySink()
    const hung: Sink = { write: () => new Promise<void>(() => {}) }
    const errors: RecorderFaultError[] = []
    const recorder = createFlightRecorder({ sinks: [good, hung], sinkTimeoutMs: 50, onError: (e) => void errors.push(e) })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.flush()
    store.dispatch(added({ id: 'b', title: 'b', done: false }))
    await recorder.flush()

    const stuck = errors.filter((e) => /did not finish writing/.test(e.message))
    expect(stuck.length).toBeGreaterThan(0)
    for (const e of stuck) {
      expect(e.source).toBe('sink')
      expect(e.message).toMatch(/^\[redux-flight-recorder\] sink failed in sinks\[1\]: A sink did not finish writing within 50 ms/)
      expect(e.message).not.toContain('sinks[0]')
    }
    await recorder.close()
    // The healthy sink's log says which sink hung, in the entry's message; its fields are the same.
    const bodies = errorsIn(good.text()).filter((b) => /did not finish writing/.test(b.message))
    expect(bodies.length).toBeGreaterThan(0)
    for (const b of bodies) {
      expect(Object.keys(b).sort()).toEqual(['message', 'name', 'seq', 'source'])
      expect(b).toMatchObject({ source: 'sink', name: 'Error', seq: null })
      expect(b.message).toMatch(/^sinks\[1\]: A sink did not finish writing within 50 ms/)
    }
  })

  it("a sink whose write throws, at sinks[0], is named as sinks[0] in both, with the sink's own message after", async () => {
    const good = memorySink()
    const throwing: Sink = {
      write() {
        throw new TypeError('Failed to fetch')
      },
    }
    const errors: RecorderFaultError[] = []
    const recorder = createFlightRecorder({ sinks: [throwing, good], onError: (e) => void errors.push(e) })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.flush()
    await recorder.close()
    expect(errors[0].message).toBe('[redux-flight-recorder] sink failed in sinks[0]: Failed to fetch')
    expect(errors[0].cause).toBeInstanceOf(TypeError)
    expect(errorsIn(good.text())[0]).toMatchObject({ source: 'sink', name: 'TypeError', message: 'sinks[0]: Failed to fetch' })
  })

  it('with one sink, the text is as before (no sink to tell it from)', async () => {
    const hung: Sink = { write: () => new Promise<void>(() => {}) }
    const errors: RecorderFaultError[] = []
    const recorder = createFlightRecorder({ sinks: [hung], sinkTimeoutMs: 50, onError: (e) => void errors.push(e) })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.flush()
    expect(errors[0].message).toMatch(/^\[redux-flight-recorder\] sink failed: A sink did not finish writing within 50 ms/)
    await recorder.close()
  })
})
