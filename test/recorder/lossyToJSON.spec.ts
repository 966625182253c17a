import { configureStore } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, stateHash } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'
import { describeLossy, findLossy } from '../../src/lossy'

// A class instance with a toJSON of its own (dayjs, Luxon, moment, Decimal.js, Temporal,
// Immutable.js) is written as what its toJSON returns: replay hands the reducer that form (a
// string), without the class and its methods, so a reducer calling `.year()` diverges. It is lossy
// (kind `to-json`, the class name as detail), like a Date, and said so everywhere. A plain object
// with its own toJSON is its author's choice of form and is not. Before, neither was listed.

/** dayjs-like: a class whose toJSON gives an ISO string. */
class Day {
  constructor(private readonly ms: number) {}
  toJSON(): string {
    return new Date(this.ms).toISOString()
  }
  year(): number {
    return new Date(this.ms).getUTCFullYear()
  }
}

/** Immutable.js-like: toJSON gives a plain object, whose values may be such collections too. */
class IMap {
  constructor(private readonly entries: Record<string, unknown>) {}
  get(k: string): unknown {
    return this.entries[k]
  }
  toJSON(): Record<string, unknown> {
    return { ...this.entries }
  }
}

interface State {
  d: Day | null
  y: number | string | null
  m: IMap | null
  own: { v: number; toJSON(): number }
  n: number
}

const initial = (): State => ({ d: null, y: null, m: null, own: { v: 1, toJSON: () => 1 }, n: 0 })

function reducer(s: State = initial(), a: { type: string; payload?: unknown }): State {
  switch (a.type) {
    case 'set':
      return { ...s, d: a.payload as Day, m: new IMap({ at: new Date(0), inner: new IMap({ x: 1 }) }) }
    case 'yr':
      return { ...s, y: typeof s.d?.year === 'function' ? s.d.year() : 'lost' }
    case 'inc':
      return { ...s, n: s.n + 1 }
    default:
      return s
  }
}

function record() {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 2 })
  const store = configureStore({
    reducer,
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  store.dispatch({ type: 'set', payload: new Day(0) })
  store.dispatch({ type: 'yr' })
  store.dispatch({ type: 'inc' })
  return { recorder, sink, store }
}

const parse = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)

afterEach(() => {
  vi.restoreAllMocks()
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('redux-flight-recorder.lossyWarned')]
})

describe('a class instance with its own toJSON', () => {
  it('is listed in the action, the stateLossy of the action that brought it in, and every full state, and warned about once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder, sink, store } = record()
    expect(store.getState().y).toBe(1970)
    await recorder.close()
    const lines = parse(sink.text())
    const set = lines.find((l) => l.kind === 'set')!
    expect(set.action.payload).toBe('1970-01-01T00:00:00.000Z')
    expect(set.lossy).toEqual([{ path: 'payload', kind: 'to-json', detail: 'Day' }])
    expect(set.stateLossy).toEqual(
      expect.arrayContaining([
        { path: 'd', kind: 'to-json', detail: 'Day' },
        { path: 'm', kind: 'to-json', detail: 'IMap' },
      ]),
    )
    // What its toJSON returns is looked at too: a Date, and a collection within the collection.
    const expected = [
      { path: 'd', kind: 'to-json', detail: 'Day' },
      { path: 'm', kind: 'to-json', detail: 'IMap' },
      { path: 'm.at', kind: 'date' },
      { path: 'm.inner', kind: 'to-json', detail: 'IMap' },
    ]
    const checkpoint = lines.find((l) => l.kind === '@@checkpoint')!
    const end = lines.find((l) => l.kind === '@@end')!
    for (const full of [checkpoint, end]) expect(full.lossy).toEqual(expected)
    // The plain object with its own toJSON (`own`) is not listed anywhere.
    expect(JSON.stringify(lines)).not.toContain('"path":"own"')
    const said = warn.mock.calls.map((c) => String(c[0]))
    expect(said.filter((w) => w.includes('payload was a Day instance, logged as what its toJSON returned'))).toHaveLength(1)
    expect(said.filter((w) => w.includes('state.d was a Day instance, logged as what its toJSON returned'))).toHaveLength(1)
    expect(said.filter((w) => w.includes('state.m.inner was an IMap instance'))).toHaveLength(1)
  })

  it('is named by replay, which diverges where the reducer calls its methods', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder, sink } = record()
    await recorder.close()
    const result = replay(sink.text(), { reducer })
    expect(result.ok).toBe(false)
    const text = JSON.stringify(result)
    expect(text).toContain('was a Day instance, logged as what its toJSON returned')
  })

  it('leaves hashes as they were (lossy lists are metadata)', () => {
    const state = { d: new Day(0), m: new IMap({ a: 1 }) }
    expect(stateHash(state)).toBe(stateHash(JSON.parse(JSON.stringify(state))))
    expect(findLossy({ own: { toJSON: () => 1 }, list: Object.assign([1], { toJSON: () => [2] }), at: new Date(0) })).toEqual([{ path: 'at', kind: 'date' }])
    expect(describeLossy({ path: 'x', kind: 'to-json' }, 'state')).toBe('state.x was a class instance, logged as what its toJSON returned, without its class and methods')
  })
})
