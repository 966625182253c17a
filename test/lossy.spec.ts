import { readFileSync } from 'node:fs'
import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, stateHash, type FlightRecorderOptions } from 'redux-flight-recorder'
import { formatDivergence, parseRecording, replay } from 'redux-flight-recorder/replay'

async function record<S>(reducer: (s: S | undefined, a: { type: string; payload?: unknown }) => S, actions: { type: string; payload?: unknown }[], options: Partial<FlightRecorderOptions> = {}) {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], ...options })
  const store = configureStore({
    reducer: reducer as never,
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  for (const a of actions) store.dispatch(a as never)
  await recorder.close()
  return sink.text()
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('lossy values (issue 15)', () => {
  it('case 2: a Date in an action is listed, and a reducer that trips on it gets a report naming it', async () => {
    const events = createSlice({
      name: 'events',
      initialState: { last: '' },
      reducers: {
        happened(state, a: PayloadAction<{ at: Date }>) {
          state.last = a.payload.at.toISOString()
        },
      },
    })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const log = await record(events.reducer, [events.actions.happened({ at: new Date(0) })])
    const entry = parseRecording(log).entries[0] as { lossy?: unknown }
    expect(entry.lossy).toEqual([{ path: 'payload.at', kind: 'date' }])
    const result = replay(log, { reducer: events.reducer })
    expect(result.divergence?.reason).toBe('reducer-threw')
    expect(formatDivergence(result)).toContain('payload.at was a Date, logged as its ISO string')
    expect(result.warnings).toContain('payload.at was a Date, logged as its ISO string (seq 1; replay and its hashes see it in that form).')
  })

  it('case 3: a Map in state is listed in the header, checkpoints and @@end, and named by replay', async () => {
    type Tags = { byName: Map<string, number>; n: number }
    const reducer = (s: Tags = { byName: new Map(), n: 0 }, a: { type: string; payload?: unknown }): Tags =>
      a.type === 'tagged' ? { byName: new Map(s.byName).set(String(a.payload), 1), n: s.n + 1 } : s
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const log = await record(reducer, [{ type: 'tagged', payload: 'a' }, { type: 'tagged', payload: 'b' }], { checkpointEvery: 1 })
    const rec = parseRecording(log)
    expect(rec.header.lossy).toEqual([{ path: 'byName', kind: 'map' }])
    expect((rec.end as { lossy?: unknown }).lossy).toEqual([{ path: 'byName', kind: 'map' }])
    expect(rec.entries.filter((e) => e.kind === '@@checkpoint').every((e) => JSON.stringify((e as { lossy?: unknown }).lossy) === '[{"path":"byName","kind":"map"}]')).toBe(true)
    const result = replay(log, { reducer })
    expect(result.lossy.map((l) => `${l.where}:${l.path}:${l.kind}`)).toContain('state:byName:map')
    expect(result.warnings.join('\n')).toContain('state.byName is a Map: its contents are not in the log or the hash')
  })

  it('case 3: a class instance follows one rule in state and in actions: its own fields, listed', async () => {
    class Money {
      constructor(public cents: number) {}
    }
    const wallet = createSlice({
      name: 'wallet',
      initialState: { balance: new Money(0) },
      reducers: {
        paid(state, a: PayloadAction<Money>) {
          state.balance = new Money(state.balance.cents + a.payload.cents)
        },
      },
    })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const log = await record(wallet.reducer, [wallet.actions.paid(new Money(5))])
    const rec = parseRecording(log)
    const entry = rec.entries[0] as { action: unknown; recordable?: boolean; lossy?: unknown }
    expect(entry.action).toEqual({ type: 'wallet/paid', payload: { cents: 5 } })
    expect(entry.recordable).toBeUndefined()
    expect(entry.lossy).toEqual([{ path: 'payload', kind: 'class-instance', detail: 'Money' }])
    expect(rec.header.state).toEqual({ balance: { cents: 0 } })
    expect(rec.header.lossy).toEqual([{ path: 'balance', kind: 'class-instance', detail: 'Money' }])
  })

  it('warns once per path and kind in development, and not for ignored paths', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const s = createSlice({
      name: 'w',
      initialState: { n: 0 },
      reducers: {
        hit(state, _a: PayloadAction<{ when: Date; ratio: number }>) {
          state.n++
        },
      },
    })
    const acts = [s.actions.hit({ when: new Date(1), ratio: NaN }), s.actions.hit({ when: new Date(2), ratio: NaN }), s.actions.hit({ when: new Date(3), ratio: 1 })]
    await record(s.reducer, acts)
    const mine = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("action 'w/hit'"))
    expect(mine).toHaveLength(2)
    expect(mine[0]).toContain('payload.when was a Date, logged as its ISO string')
    expect(mine[1]).toContain('payload.ratio was NaN, logged as null')
    warn.mockClear()
    const s2 = createSlice({ name: 'w2', initialState: { n: 0 }, reducers: { hit: (st, _a: PayloadAction<Date>) => void st.n++ } })
    const log = await record(s2.reducer, [s2.actions.hit(new Date(0))], { lossy: { ignoredActionPaths: ['payload'] } })
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('w2/hit'))).toEqual([])
    expect((parseRecording(log).entries[0] as { lossy?: unknown }).lossy).toBeUndefined()
  })
})

describe('case 6: BigInt and states that cannot be written', () => {
  const proto = BigInt.prototype as { toJSON?: () => unknown }

  it('without toJSON: a BigInt, primitive or boxed, is left out of what is written and of the hash', () => {
    expect(stateHash({ a: 1, n: 1n })).toBe(stateHash({ a: 1 }))
    expect(stateHash({ a: 1, n: Object(1n) })).toBe(stateHash({ a: 1 }))
    expect(stateHash([1n])).toBe(stateHash([null]))
  })

  it('with a toJSON shim: written as its toJSON and hashed the same, so 1n → 2n changes the hash', async () => {
    proto.toJSON = function (this: bigint) {
      return this.toString()
    }
    try {
      expect(stateHash({ n: 1n })).toBe(stateHash({ n: '1' }))
      expect(stateHash({ n: 1n })).not.toBe(stateHash({ n: 2n }))
      expect(stateHash({ n: Object(2n) })).toBe(stateHash({ n: 2n }))
      const s = createSlice({ name: 'big', initialState: { n: 1n }, reducers: { inc: (st) => void (st.n += 1n) } })
      vi.spyOn(console, 'warn').mockImplementation(() => {})
      const log = await record(s.reducer, [s.actions.inc()], { checkpointEvery: 1 })
      const rec = parseRecording(log)
      expect(rec.end!.state).toEqual({ n: '2' })
      expect(rec.end!.hash).toBe(stateHash({ n: '2' }))
      // The log holds "1", not 1n: replay cannot be faithful, and says why.
      const result = replay(log, { reducer: s.reducer })
      expect(result.warnings.join('\n')).toContain('state.n was a BigInt, logged as what BigInt.prototype.toJSON returned')
    } finally {
      delete proto.toJSON
    }
  })

  it('a state that cannot be written is never null beside a live hash, and replay never restarts from it', async () => {
    let armed = false
    class Fragile {
      // (A toJSON that throws is left out, src/internal/readable.ts; what it returns is written as it is.)
      toJSON() {
        if (armed) {
          return {
            get broken(): never {
              throw new Error('cannot write me')
            },
          }
        }
        return 'ok'
      }
    }
    const s = createSlice({ name: 'f', initialState: { x: 0, f: null as Fragile | null }, reducers: { arm: (st) => void (st.f = new Fragile()) } })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 1, onError: () => {} })
    const store = configureStore({ reducer: s.reducer, middleware: (g) => g({ serializableCheck: false }).prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(s.actions.arm())
    armed = true
    await recorder.close()
    const lines = sink.lines.map((l) => JSON.parse(l))
    const withState = lines.filter((l) => 'state' in l)
    expect(withState.length).toBeGreaterThan(1)
    for (const l of withState) if (l.state === null) expect([l.kind, l.hash, typeof l.unwritable]).toEqual([l.kind, null, 'string'])
    const end = lines.find((l) => l.kind === '@@end')
    expect(end.unwritable).toMatch(/cannot write me/)
    // A replay that must restart from such a state stops and says why.
    const header = lines[0]
    const cut = [JSON.stringify({ ...header, state: null, hash: null, unwritable: 'Error: cannot write me' }), ...sink.lines.slice(1)].join('\n')
    const result = replay(cut, { reducer: s.reducer })
    expect(result.ok).toBe(false)
    expect(result.stopped?.reason).toContain('could not be written when recording')
  })
})

describe('docs/FORMAT.md reference implementation', () => {
  const doc = readFileSync(new URL('../docs/FORMAT.md', import.meta.url), 'utf8')
  const section = doc.slice(doc.indexOf('### Reference implementation'))
  const code = section.slice(section.indexOf('```js') + 5, section.indexOf('```', section.indexOf('```js') + 5))
  const ref = new Function(code + '\nreturn (v) => hex(fr64(v))')() as (v: unknown) => string

  it('agrees with the library on every JSON.parse output, overflowing numbers included', () => {
    for (const text of ['1e400', '-1e400', '[1e400,-1e999]', '{"a":1e400}', '0', '-0', '{"a":[1,"x",null,true]}']) {
      expect(ref(JSON.parse(text)), text).toBe(stateHash(JSON.parse(text)))
    }
    expect(stateHash(JSON.parse('1e400'))).toBe(stateHash(null))
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(ref(JSON.parse(JSON.stringify(v)))).toBe(stateHash(v))
      }),
      { numRuns: 200 },
    )
  })

  it('states the overflow rule with a vector', () => {
    expect(doc).toContain('| `1e400` | `dd714af30735d737` |')
  })
})

describe('lossy wording', () => {
  it("names a class instance with the right article: 'an Error instance', 'a User instance'", async () => {
    const { describeLossy } = await import('../src/lossy')
    expect(describeLossy({ path: 'payload.err', kind: 'class-instance', detail: 'Error' }, 'action')).toBe('payload.err was an Error instance, logged as its own fields, without its class (an error\'s message and stack are not among them)')
    expect(describeLossy({ path: 'payload.u', kind: 'class-instance', detail: 'User' }, 'action')).toBe('payload.u was a User instance, logged as its own fields, without its class')
  })
})

describe('lossy values behind toJSON', () => {
  it('a boxed BigInt is listed as a bigint under a BigInt.prototype.toJSON shim, as a primitive one', async () => {
    const { findLossy } = await import('../src/lossy')
    const proto = BigInt.prototype as { toJSON?: () => string }
    proto.toJSON = function () {
      return String(this)
    }
    try {
      expect(findLossy({ a: 1n })).toEqual([{ path: 'a', kind: 'bigint', detail: 'toJSON' }])
      expect(findLossy({ a: Object(1n) })).toEqual([{ path: 'a', kind: 'bigint', detail: 'toJSON' }])
    } finally {
      delete proto.toJSON
    }
  })

  it('an object that only inherits from Number.prototype is a class instance, not a boxed number', async () => {
    const { findLossy } = await import('../src/lossy')
    expect(findLossy({ a: Object.assign(Object.create(Number.prototype), { n: 1 }) })).toEqual([{ path: 'a', kind: 'class-instance', detail: 'Number' }])
    expect(findLossy({ a: new Number(1) })).toBeNull()
  })
})
