/**
 * Guarantee "never throws into dispatch", as a property: whatever values an app puts in its actions
 * and its state (fast-check's `anything`: Maps, Sets, BigInts, typed arrays, null-prototype objects,
 * sparse arrays, boxed values, Dates; and hand-made hostile values: throwing getters and toJSON,
 * revoked proxies, cycles, deep nesting, symbols, functions), a store with the recorder returns
 * the same action object from dispatch, ends with the same state objects, notifies as often as the
 * same store without the recorder, and the recorder's own outputs (`toJSONL`, `snapshot`, sinks,
 * `close`) never throw and always parse strictly. Cases: FUZZ_RUNS / 20 (at least 30), on top of
 * the parser properties' share.
 */
import fc from 'fast-check'
import { createStore, type Reducer } from 'redux'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { count, timed } from './fuzz-check'
import { FUZZ_RUNS, fuzzParams } from './helpers'

const hostile: Record<string, () => unknown> = {
  'throwing getter': () =>
    Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter exploded')
      },
    }),
  'revoked proxy': () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {})
    revoke()
    return proxy
  },
  'proxy whose traps throw': () =>
    new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys trap')
        },
        get() {
          throw new Error('get trap')
        },
        getPrototypeOf() {
          throw new Error('getPrototypeOf trap')
        },
      },
    ),
  'throwing toJSON': () => ({
    toJSON() {
      throw new Error('toJSON exploded')
    },
  }),
  'cycle': () => {
    const a: Record<string, unknown> = { name: 'a' }
    a.self = { back: a }
    return a
  },
  'nesting 10,000 deep': () => {
    let v: unknown = 1
    for (let i = 0; i < 10_000; i++) v = [v]
    return v
  },
  'symbol and function': () => ({ s: Symbol('s'), f: () => 1, [Symbol('k')]: 1 }),
  'toString that throws': () => ({
    toString() {
      throw new Error('toString')
    },
  }),
  'class instance with a throwing constructor getter': () => {
    class Odd {}
    Object.defineProperty(Odd.prototype, 'constructor', {
      get() {
        throw new Error('constructor getter')
      },
    })
    return new Odd()
  },
}

const value = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withMap: true,
      withSet: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      withNullPrototype: true,
      withObjectString: true,
    }),
  },
  // The name only: the value is built inside the property (fast-check cannot clone or print a revoked proxy).
  { weight: 2, arbitrary: fc.constantFrom(...Object.keys(hostile)).map((name) => ({ hostile: name })) },
)
const build = (v: unknown) => (v !== null && typeof v === 'object' && Object.keys(v).length === 1 && typeof (v as { hostile?: unknown }).hostile === 'string' && (v as { hostile: string }).hostile in hostile ? hostile[(v as { hostile: string }).hostile]() : v)

interface S {
  n: number
  slots: Record<string, unknown>
}
/** Keeps whatever the action carries in the state (so the recorder hashes and writes it too). */
const reducer: Reducer<S, any> = (state = { n: 0, slots: {} }, action) =>
  action.type === 'keep' ? { n: state.n + 1, slots: { ...state.slots, [`k${state.n % 4}`]: action.payload } } : state

describe('the recorder under arbitrary and hostile values', () => {
  it('never throws into dispatch, changes no result, state or notification, and its outputs always parse', async () => {
    const quiet = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(value, fc.boolean()), { minLength: 1, maxLength: 8 }),
          fc.constantFrom('fr64' as const, false as const),
          fc.boolean(),
          async (payloads, hash, redact) => {
            const started = performance.now()
            count('recorder under hostile values').cases++
            const plain = createStore(reducer)
            const sink = memorySink()
            const recorder = createFlightRecorder({
              sinks: [sink],
              hash,
              checkpointEvery: 2,
              maxEntryBytes: 2048,
              onError: () => {},
              ...(redact ? { redact: { state: ['slots.k1', '**.boom'], actions: ['payload.*', 'meta'] } } : {}),
            })
            const recorded = createStore(reducer, recorder.enhancer)
            let plainNotified = 0
            let recordedNotified = 0
            plain.subscribe(() => void plainNotified++)
            recorded.subscribe(() => void recordedNotified++)
            for (const [generated, withMeta] of payloads) {
              const payload = build(generated)
              const action = withMeta ? { type: 'keep', payload, meta: { extra: payload } } : { type: 'keep', payload }
              expect(plain.dispatch(action)).toBe(action)
              expect(recorded.dispatch(action)).toBe(action)
            }
            expect(recordedNotified).toBe(plainNotified)
            expect(recorded.getState().n).toBe(plain.getState().n)
            for (const key of Object.keys(plain.getState().slots)) expect(recorded.getState().slots[key]).toBe(plain.getState().slots[key])
            // The recorder's outputs: never a throw, always a strictly valid log.
            const text = recorder.toJSONL()
            const rec = parseRecording(text)
            expect(rec.entries.filter(isActionEntry)).toHaveLength(payloads.length)
            // (Serialising can discover faults, written as new @@error entries: count actions only.)
            expect(recorder.snapshot().entries.filter(isActionEntry)).toHaveLength(payloads.length)
            await recorder.close()
            const written = parseRecording(sink.text())
            expect(written.entries.filter(isActionEntry)).toHaveLength(payloads.length)
            expect(written.end?.count).toBe(payloads.length)
            count('recorder under hostile values').parsed++
            timed('recorder under hostile values', started)
          },
        ),
        fuzzParams(Math.max(30, Math.ceil(FUZZ_RUNS / 20))),
      )
    } finally {
      quiet.mockRestore()
    }
  }, 300_000)
})
