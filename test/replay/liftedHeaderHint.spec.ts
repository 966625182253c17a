import { describe, expect, it, vi } from 'vitest'
import { applyMiddleware, compose, legacy_createStore as createStore } from 'redux'
import { instrument } from '@redux-devtools/instrument'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'

// DevTools' instrument outside the recorder, recorded without `devtools: devToolsInstrument()`:
// the log holds the lifted store. The report must say so (and how to record it), whether replay
// stops at the first action or, as instrument changes its lifted state in place, at the header.
const reducer = (s: { n: number } = { n: 0 }, a: { type: string }) => (a.type === 'inc' ? { n: s.n + 1 } : s)

describe('a log of DevTools’ lifted store, recorded without the opt-in', () => {
  it.each([3, 5, 8])('with %i actions: the report names DevTools and the option, not a different hash function or an edited header', async (n) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const sink = memorySink()
      const recorder = createFlightRecorder({ sinks: [sink] })
      const store = createStore(reducer as never, compose(instrument(), applyMiddleware(recorder.middleware), recorder.enhancer) as never)
      for (let i = 0; i < n; i++) store.dispatch({ type: 'inc' })
      await recorder.close()
      const result = replay(sink.text(), { reducer })
      expect(result.ok).toBe(false)
      const report = formatDivergence(result)
      expect(report).toMatch(/hint: This log holds Redux DevTools' lifted store .*devtools: devToolsInstrument\(\)/)
      expect(report).not.toMatch(/the hash function \(or `serializeState`\) differs|the header was edited/)
      // Rehashing a log of the lifted store would not make it the app's.
      expect(report).not.toMatch(/update the log/)
    } finally {
      warn.mockRestore()
    }
  })
})
