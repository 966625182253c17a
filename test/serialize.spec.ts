import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hashHex } from '../src/hash'
import { compileRedactor } from '../src/redact'
import { hashField, projectAction, timeFields } from '../src/serialize'

/** How `ts` and `t` were written before `timeFields`: the reference it must match, text for text. */
const reference = (epochMs: number, t: number) =>
  ',"ts":"' + new Date(Math.floor(epochMs)).toISOString() + '","t":' + String(Math.round(t * 1000) / 1000)

const START = 1_763_769_600_123

/** Same text as the reference, or both throw (an epoch past what a Date holds). */
function expectSame(epochMs: number, t: number): void {
  let expected: string
  try {
    expected = reference(epochMs, t)
  } catch (error) {
    expect(() => timeFields(epochMs, t)).toThrow((error as Error).constructor as ErrorConstructor)
    return
  }
  const actual = timeFields(epochMs, t)
  if (actual !== expected) expect([epochMs, t, actual]).toEqual([epochMs, t, expected])
}

describe('timeFields', () => {
  it('writes the same text as the ISO time and String(Math.round(t * 1000) / 1000) for whole, small and large values', () => {
    const values = [
      0, -0, 1, 2, 9, 10, 99, 100, 999, 1000, 1001, 12.5, 0.1, 0.2, 0.3, 0.001, 0.01, 0.999, 1.001, 1.01, 1.1, 1.0001,
      0.0004, 0.0005, 0.0006, 0.0015, 0.0025, 1e-7, 5e-4 - Number.EPSILON, 123456.789, 3_600_000, 86_400_000.5,
      2 ** 31, 2 ** 31 + 0.125, 2 ** 32 - 0.001, 2 ** 32 - 0.0005, 2 ** 32, 2 ** 32 + 0.0005, 2 ** 40 + 0.3, 2 ** 43 + 0.7,
      2 ** 53, 1e15 + 0.25, 1e21, 1.5e21, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Infinity,
    ]
    for (const epoch of [START, START + 0.25, START + 0.9999, 0]) {
      for (const t of values) expectSame(epoch + t, t)
    }
    // A different recorder (another start) in between: nothing of the previous one is reused.
    expectSame(START + 5.5, 5.5)
    expectSame(START + 1000.5, 5.5)
    expectSame(START + 1000.5, 6.5)
  })

  it('matches the reference next to every .0005 rounding boundary', () => {
    for (const whole of [0, 1, 7, 59, 999, 1000, 65_535, 1_234_567, 86_399_999, 2 ** 31 - 1, 4_294_967_294]) {
      for (let f = 0; f < 1000; f++) {
        const boundary = whole + (f + 0.5) / 1000
        for (const t of [boundary, boundary - 1e-9, boundary + 1e-9, boundary - 1e-12, boundary + 1e-12, whole + f / 1000]) {
          expectSame(START + t, t)
        }
      }
    }
  })

  it('matches the reference for random doubles and starts, and t parses to the same number', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 ** 34, noNaN: true }), fc.double({ min: 0, max: 4e12, noNaN: true }), (t, start) => {
        expectSame(start + t, t)
        const text = timeFields(start + t, t)
        expect(JSON.parse(text.slice(text.lastIndexOf(':') + 1))).toBe(Math.round(t * 1000) / 1000)
      }),
      { numRuns: 20_000 },
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 * 1000 + 5000 }), fc.double({ min: -0.5, max: 0.5, noNaN: true }), (us, jitter) => {
        const t = (us + jitter) / 1000
        expectSame(START + t, t)
      }),
      { numRuns: 20_000 },
    )
    // Times like a session's: monotonic milliseconds with sub-microsecond noise.
    let t = 0
    for (let i = 0; i < 200_000; i++) {
      t += Math.random() * (i % 100 === 0 ? 5000 : 0.02)
      expectSame(START + t, t)
    }
  })
})

describe('hashField', () => {
  it('writes the same 16 hex digits as hashHex, quoted after "hash", with or without the closing brace', () => {
    const check = (hi: number, lo: number) => {
      expect(hashField(hi, lo, false)).toBe(',"hash":"' + hashHex(hi, lo) + '"')
      expect(hashField(hi, lo, true)).toBe(',"hash":"' + hashHex(hi, lo) + '"}')
    }
    const words = [0, 1, 15, 16, 255, 256, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xfffffffe, 0xffffffff]
    for (const hi of words) for (const lo of words) check(hi, lo)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), check),
      { numRuns: 5000 },
    )
  })
})

describe('projectAction', () => {
  it('writes plain JSON values exactly as JSON.stringify, with nothing omitted', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.string(), (payload, type) => {
        const action = { type, payload, meta: { arg: payload } }
        expect(projectAction(action, null)).toEqual({ json: JSON.stringify(action), omitted: null })
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps the JSON projection of objects without a prototype, undefined values, holes, symbol keys and own non-enumerable toJSON, listing what it leaves out', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: 'x' })
    const holes = [1, , 3]
    const withToJSON = { a: 1 }
    Object.defineProperty(withToJSON, 'toJSON', { value: () => ({ replaced: true }), enumerable: false })
    const withHiddenFn = { a: 1 }
    Object.defineProperty(withHiddenFn, 'hidden', { value: () => 1, enumerable: false })
    const action = {
      type: 'plain',
      payload: { bare, holes, u: undefined, list: [undefined, null, -0, 1e21, NaN], withToJSON, withHiddenFn, [Symbol('s')]: 1, '': 'empty', 'a"b': 'q\n' },
    }
    expect(projectAction(action, null)).toEqual({
      json: JSON.stringify(action),
      // What JSON leaves out: a symbol key, a key that is not enumerable (not a toJSON of its own).
      omitted: [
        { path: 'payload.[Symbol(s)]', kind: 'symbol-key' },
        { path: 'payload.withHiddenFn.hidden', kind: 'non-enumerable' },
      ],
      // Written as JSON writes them, and listed: a hole and undefined become null, NaN null.
      lossy: [
        { path: 'payload.holes.1', kind: 'undefined-in-array' },
        { path: 'payload.list.0', kind: 'undefined-in-array' },
        { path: 'payload.list.4', kind: 'non-finite', detail: 'NaN' },
      ],
    })
  })

  it('reports values JSON cannot carry with their key paths, also inside arrays and past the fast check depth', () => {
    const arrayWithFn = Object.assign([1, 2], { extra: () => 1 })
    let deep: Record<string, unknown> = { leaf: () => 1 }
    for (let i = 0; i < 100; i++) deep = { d: deep }
    const hostile = {
      get boom(): number {
        throw new Error('getter exploded')
      },
    }
    class Point {
      constructor(public x: number) {}
    }
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const action = {
      type: 'weird',
      payload: { arrayWithFn, fn: () => 1, sym: Symbol('s'), big: 1n, point: new Point(1), map: new Map(), set: new Set(), hostile, proxy, when: new Date(0) },
      deep,
      meta: { baseQueryMeta: { request: new Point(2) }, arg: 1 },
    }
    const { json, omitted, lossy } = projectAction(action, null)
    const parsed = JSON.parse(json)
    // A class instance is written as its own fields (the same rule as in state), and listed in `lossy`.
    expect(parsed.payload).toEqual({ arrayWithFn: [1, 2], hostile: {}, point: { x: 1 }, when: '1970-01-01T00:00:00.000Z' })
    expect(lossy).toEqual([
      { path: 'payload.point', kind: 'class-instance', detail: 'Point' },
      { path: 'payload.when', kind: 'date' },
    ])
    expect(parsed.meta).toEqual({ arg: 1 })
    expect(omitted).toEqual(
      expect.arrayContaining([
        { path: 'payload.arrayWithFn.extra', kind: 'function' },
        { path: 'payload.fn', kind: 'function' },
        { path: 'payload.sym', kind: 'symbol' },
        { path: 'payload.big', kind: 'bigint' },
        { path: 'payload.map', kind: 'map' },
        { path: 'payload.set', kind: 'set' },
        { path: 'payload.hostile.boom', kind: 'getter-threw' },
        { path: 'payload.proxy', kind: 'revoked-proxy' },
        { path: 'deep' + '.d'.repeat(100) + '.leaf', kind: 'function' },
      ]),
    )
    expect(omitted).toHaveLength(9)
  })

  it('leaves meta.baseQueryMeta out silently, and keeps a plain deep action whole past the fast check depth', () => {
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let i = 0; i < 100; i++) deep = { d: deep, n: i }
    expect(projectAction({ type: 'q', meta: { baseQueryMeta: { status: 200 }, arg: 'x' } }, null)).toEqual({
      json: '{"type":"q","meta":{"arg":"x"}}',
      omitted: null,
    })
    const action = { type: 'deep', deep }
    expect(projectAction(action, null)).toEqual({ json: JSON.stringify(action), omitted: null })
  })

  it('ignores enumerable keys someone added to Object.prototype, as JSON.stringify does', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.polluted = () => 1
    try {
      const action = { type: 'a', payload: { x: 1, list: [{ y: 2 }] } }
      expect(projectAction(action, null)).toEqual({ json: '{"type":"a","payload":{"x":1,"list":[{"y":2}]}}', omitted: null })
      expect(projectAction({ type: 'b', fn: () => 1 }, null)).toEqual({ json: '{"type":"b"}', omitted: [{ path: 'fn', kind: 'function' }] })
    } finally {
      delete proto.polluted
    }
  })

  it("lists a plain object's symbol keys and keys that are not enumerable, which JSON leaves out", () => {
    const meta = { source: 'ui' }
    Object.defineProperty(meta, 'internal', { value: 5, enumerable: false })
    const action = { type: 'task/add', [Symbol.for('app/priority')]: true, payload: { id: 1, [Symbol('local')]: 'x' }, meta }
    expect(projectAction(action, null)).toEqual({
      json: '{"type":"task/add","payload":{"id":1},"meta":{"source":"ui"}}',
      omitted: [
        { path: '[Symbol(app/priority)]', kind: 'symbol-key' },
        { path: 'payload.[Symbol(local)]', kind: 'symbol-key' },
        { path: 'meta.internal', kind: 'non-enumerable' },
      ],
    })
    // Each kind alone, in an action otherwise faithful (the quick check before the walk sees each).
    const hidden = { id: 2 }
    Object.defineProperty(hidden, 'secret', { value: 'x', enumerable: false })
    expect(projectAction({ type: 'n', payload: hidden }, null)).toEqual({ json: '{"type":"n","payload":{"id":2}}', omitted: [{ path: 'payload.secret', kind: 'non-enumerable' }] })
    expect(projectAction({ type: 's', payload: { id: 3, [Symbol('k')]: 1 } }, null)).toEqual({ json: '{"type":"s","payload":{"id":3}}', omitted: [{ path: 'payload.[Symbol(k)]', kind: 'symbol-key' }] })
    // A class instance is named as one (in `lossy`), not by its hidden fields; arrays' `length` is no loss.
    expect(projectAction({ type: 'e', payload: new Error('boom'), list: [1, 2] }, null).omitted).toBeNull()
    // A symbol key that holds undefined is no loss, as any key (RTK Query's meta.arg has one).
    const arg = { id: 1, [Symbol('forceQueryFn')]: undefined }
    expect(projectAction({ type: 'api/executeQuery/pending', meta: { arg } }, null)).toEqual({ json: '{"type":"api/executeQuery/pending","meta":{"arg":{"id":1}}}', omitted: null })
  })

  it('reads through a live proxy of a plain object like JSON.stringify, and applies redaction first', () => {
    const target = { type: 'p', payload: { card: '4111', n: 1 } }
    const action = new Proxy(target, {})
    expect(projectAction(action, null)).toEqual({ json: JSON.stringify(target), omitted: null })
    const redactor = compileRedactor(['payload.card'])
    expect(projectAction(target, redactor)).toEqual({ json: '{"type":"p","payload":{"card":"[redacted]","n":1}}', omitted: null })
  })
})
