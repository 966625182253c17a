import { configureStore } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'

// A circular reference in the state is left out of full states (header, checkpoints, @@end) and
// listed as `circular`; the rest of the state is written from a readable copy, which holds Maps,
// Sets and class instances as plain objects. Those are lossy all the same and stay listed (and
// warned about in development): before, a cycle anywhere hid every one of them.

class Money {
  constructor(public cents: number) {}
}

interface State {
  n: number
  circ: Record<string, unknown>
  tags?: Map<string, number>
  sel?: Set<number>
  price?: Money
  secret?: { m: Map<string, number> }
}

function cyclic(): Record<string, unknown> {
  const c: Record<string, unknown> = { name: 'c' }
  c.self = c
  return c
}

// (A plain reducer: Immer would want its MapSet plugin.)
const initial = (): State => ({ n: 0, circ: cyclic() })
const actions = { inc: () => ({ type: 'inc' }), load: (payload: number) => ({ type: 'load', payload }) }
function reducer(s: State = initial(), a: { type: string; payload?: number }): State {
  if (a.type === 'inc') return { ...s, n: s.n + 1 }
  if (a.type === 'load') return { ...s, tags: new Map([['a', a.payload!]]), sel: new Set([a.payload!]), price: new Money(a.payload!), secret: { m: new Map() } }
  return s
}

function store(options: Parameters<typeof createFlightRecorder>[0], preloaded?: State) {
  const recorder = createFlightRecorder(options)
  const s = configureStore({
    reducer,
    preloadedState: preloaded,
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  return { recorder, store: s }
}

const parse = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)
const kinds = (lossy: { path: string; kind: string }[] | undefined) => (lossy ?? []).map((l) => `${l.path} ${l.kind}`).sort()

afterEach(() => {
  vi.restoreAllMocks()
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('redux-flight-recorder.lossyWarned')]
})

describe('a state with a circular reference and Maps, Sets, class instances', () => {
  it('lists and warns about each of them in the header, checkpoints and @@end', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const sink = memorySink()
    const pre: State = { ...initial(), tags: new Map([['a', 1]]), sel: new Set([1]), price: new Money(5), secret: { m: new Map() } }
    const { recorder, store: s } = store({ sinks: [sink], checkpointEvery: 2, redact: { state: ['secret'] } }, pre)
    for (let i = 0; i < 3; i++) s.dispatch(actions.inc())
    await recorder.close()
    const lines = parse(sink.text())
    const full = [lines[0], lines.find((l) => l.kind === '@@checkpoint')!, lines.find((l) => l.kind === '@@end')!]
    for (const line of full) {
      expect(line.unwritable).toBeUndefined()
      expect(line.state.circ).toEqual({ name: 'c' })
      expect(line.state.tags).toEqual({})
      // (`secret` is redacted: what it held is not in the log, hence not listed.)
      expect(line.state.secret).toBe('[redacted]')
      expect(kinds(line.lossy)).toEqual(['circ.self circular', 'price class-instance', 'sel set', 'tags map'])
      expect(line.lossy).toContainEqual({ path: 'price', kind: 'class-instance', detail: 'Money' })
    }
    const said = warn.mock.calls.map((c) => String(c[0]))
    for (const text of ['state.tags is a Map', 'state.sel is a Set', 'state.price was a Money instance', 'state.circ.self referred back']) {
      expect(said.filter((w) => w.includes(text))).toHaveLength(1)
    }
  })

  it("lists them in the `stateLossy` of the action that brought them in (fr64), redaction and ignoredPaths applied", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const sink = memorySink()
    const { recorder, store: s } = store({ sinks: [sink], redact: { state: ['secret'] }, lossy: { ignoredPaths: ['sel'] } })
    s.dispatch(actions.inc())
    s.dispatch(actions.load(3))
    s.dispatch(actions.inc())
    await recorder.close()
    const lines = parse(sink.text())
    expect(lines[1].stateLossy).toBeUndefined()
    expect(kinds(lines[2].stateLossy)).toEqual(['price class-instance', 'tags map'])
    expect(lines[3].stateLossy).toBeUndefined()
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('state.tags is a Map'))).toHaveLength(1)
  })

  it('lists them in a log that starts after they entered the state (a trimmed buffer), and honours ignoredPaths', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder, store: s } = store({ maxEntries: 3, lossy: { ignoredPaths: ['sel'] } })
    s.dispatch(actions.load(7))
    for (let i = 0; i < 6; i++) s.dispatch(actions.inc())
    const log = recorder.snapshot()
    expect(log.header.from_seq).toBeGreaterThan(1)
    expect(kinds(log.header.lossy as { path: string; kind: string }[])).toEqual(['circ.self circular', 'price class-instance', 'secret.m map', 'tags map'])
    await recorder.close()
  })
})
