import { instrument } from '@redux-devtools/instrument'
import { compose, createStore, type Action, type StoreEnhancer } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, stateHash } from 'redux-flight-recorder'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'
import { formatDivergence, isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'

// A reducer that throws on 'boom': the action a bug report is about must be in the log, with DevTools'
// real instrument too, in either order, whether instrument rethrows or catches (`shouldCatchErrors`).
type S = { n: number }
const reducer = (s: S = { n: 0 }, a: Action): S => {
  if (a.type === 'boom') throw new TypeError('boom')
  return a.type === 'inc' ? { n: s.n + 1 } : s
}

const cases: [string, (rec: StoreEnhancer, catchErrors: boolean) => StoreEnhancer][] = [
  ['instrument inside the recorder', (rec, c) => compose(rec, instrument(undefined, { shouldCatchErrors: c }) as StoreEnhancer)],
  ['instrument outside the recorder', (rec, c) => compose(instrument(undefined, { shouldCatchErrors: c }) as StoreEnhancer, rec)],
]

afterEach(() => vi.restoreAllMocks())

describe.each(cases)('a reducer that throws, with @redux-devtools/instrument and devToolsInstrument(): %s', (_name, enhancer) => {
  it.each([false, true])('is an entry that says `threw`, hashed at the state kept, and the log replays and verifies (shouldCatchErrors: %s)', async (catchErrors) => {
    // (instrument with shouldCatchErrors logs the error it catches.)
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], devtools: devToolsInstrument() })
    const store = createStore(reducer, enhancer(recorder.enhancer, catchErrors))
    store.dispatch({ type: 'inc' })
    const kept = store.getState()
    let threw = false
    try {
      store.dispatch({ type: 'boom' })
    } catch {
      threw = true
    }
    // instrument rethrows unless it catches (then it keeps the error in its history).
    expect(threw).toBe(!catchErrors)
    expect(store.getState()).toBe(kept)
    // After a caught error instrument no longer calls the reducer (its state stays): no entry then,
    // as with instrument inside the recorder; after a rethrown one the app goes on.
    store.dispatch({ type: 'inc' })
    const last = store.getState()
    expect(last).toEqual(catchErrors ? kept : { n: 2 })
    await recorder.close()
    const rec = parseRecording(sink.lines.join('\n'))
    const actions = rec.entries.filter(isActionEntry)
    expect(actions.map((e) => e.kind)).toEqual(catchErrors ? ['inc', 'boom'] : ['inc', 'boom', 'inc'])
    const boom = actions[1] as (typeof actions)[number] & { threw?: unknown; hash?: string }
    expect(boom.threw).toEqual({ name: 'TypeError', message: 'boom' })
    expect(boom.hash).toBe(stateHash(kept))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const result = replay(rec, { reducer })
    expect(result.ok, result.ok ? '' : formatDivergence(result)).toBe(true)
    expect(result.verified).toBe(true)
    expect(result.state).toEqual(last)
    expect(result.warnings.join('\n')).toMatch(/The reducer threw at seq \d+ \('boom'\)/)
    warn.mockRestore()
  })
})
