import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonSize } from '../../src/internal/jsonSize'
import { utf8Length } from '../../src/internal/utf8'
import { compileRedactor, type Redactor } from '../../src/redact'
import { projectAction } from '../../src/serialize'

/** What an action line's size check counts (Lines' projectedBytes): the projected JSON and its `omitted` notes. */
function lineSize(action: unknown, redactor: Redactor | null = null): number {
  const { json, omitted } = projectAction(action, redactor)
  return utf8Length(json) + (omitted === null ? 0 : utf8Length(JSON.stringify(omitted)))
}

describe('jsonSize (the dispatch-time bound of an action line)', () => {
  it('says "small" only below the limit and "large" only above it (property: any JSON value, control characters and non-BMP text included, and class instances)', () => {
    class Point {
      constructor(
        public x: number,
        public label: string,
      ) {}
    }
    ;(Point.prototype as unknown as { inherited: string }).inherited = 'i'.repeat(500)
    const value = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.tuple(fc.integer(), fc.string({ unit: 'binary' })).map(([x, l]) => ({ p: new Point(x, l), u: undefined, f: () => 1 })))
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 4000 }), (v, limit) => {
        const size = lineSize(v)
        const said = jsonSize(v, limit)
        if (said === 'small') expect(size).toBeLessThanOrEqual(limit)
        if (said === 'large') expect(size).toBeGreaterThan(limit)
      }),
      { numRuns: 3000 },
    )
  })

  it('agrees with the projection an action line is written from (property: functions, symbols and BigInts listed in `omitted`; cycles, class instances, Maps, deep nesting left out by it)', () => {
    class Box {
      constructor(public big: string) {}
    }
    const leaf = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer(), fc.constant(null), fc.boolean())
    // (What the projection drops silently, RTK Query's meta.baseQueryMeta, is in every action below.)
    const odd = fc.oneof(
      fc.constant(() => 1),
      fc.string({ unit: 'binary', maxLength: 60 }).map((d) => Symbol(d)),
      fc.bigInt(),
      leaf.map((v) => new Box(String(v).repeat(50))),
      leaf.map((v) => new Map([['k', String(v).repeat(50)]])),
      fc.nat(700).map((depth) => {
        let d: unknown = 'd'.repeat(300)
        for (let i = 0; i < depth; i++) d = [d]
        return d
      }),
    )
    const tree = fc.letrec((tie) => ({ node: fc.oneof({ depthSize: 'small' }, leaf, odd, fc.array(tie('node'), { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 6 })) })).node
    // Many functions under long keys: each note repeats the whole path.
    const fns = fc.dictionary(fc.string({ unit: 'binary', maxLength: 30 }), fc.oneof(fc.constant(() => 1), fc.constant(Symbol('s'))), { maxKeys: 40 })
    const handlers = fc.tuple(fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 3 }), fns).map(([prefix, f]) => prefix.reduceRight<unknown>((inner, k) => ({ [k]: inner }), f))
    fc.assert(
      fc.property(tree, fc.boolean(), handlers, fc.integer({ min: 0, max: 6000 }), (payload, cyclic, handlers, limit) => {
        const action: Record<string, unknown> = { type: 't', payload, handlers, meta: { baseQueryMeta: handlers, requestId: 'r' } }
        if (cyclic) action.self = { back: action, pad: 'p'.repeat(2000) }
        const size = lineSize(action)
        const said = jsonSize(action, limit)
        if (said === 'small') expect(size).toBeLessThanOrEqual(limit)
        if (said === 'large') expect(size).toBeGreaterThan(limit)
      }),
      { numRuns: 1500 },
    )
  })

  it('counts what action redaction leaves, as the projection writes it (property: matched values of any size and kind, redaction that shrinks and that grows)', () => {
    const key = fc.constantFrom('a', 'b', 's', '0', '1')
    const leaf = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.constant(() => 1))
    // (Arrays with holes: a hole under a matched path stays null, where the walk had counted "[redacted]".)
    const tree = fc.letrec((tie) => ({ node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 6 }), fc.sparseArray(tie('node'), { maxLength: 40 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })) })).node
    const paths = fc.subarray(['payload.a', '**.s', 'payload.*.b', '*.0', '**.a.*', 'payload', 'meta', 'payload.*'], { minLength: 1 })
    fc.assert(
      fc.property(tree, tree, paths, fc.integer({ min: 0, max: 3000 }), (payload, meta, redact, limit) => {
        const redactor = compileRedactor(redact)
        const action = { type: 't', payload, meta }
        const size = lineSize(action, redactor)
        const said = jsonSize(action, limit, redactor)
        if (said === 'small') expect(size).toBeLessThanOrEqual(limit)
        if (said === 'large') expect(size).toBeGreaterThan(limit)
      }),
      { numRuns: 3000 },
    )
  })

  it('never calls an action "small" that is over the limit, at the limit\'s edge (property: small actions of escaped and non-BMP text, holes, undefined, numbers of every kind)', () => {
    // The limits are drawn around the line's real size, where an upper bound that counts a
    // character short (a quote, a control character, a surrogate pair) says "small" wrongly.
    const escaped = fc.string({ unit: fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u2028', '\ud83d\ude00', '\ud800', '\u00e9'), maxLength: 40 })
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), escaped)
    const leaf = fc.oneof(text, fc.double(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean())
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 5 }), fc.sparseArray(tie('node'), { maxLength: 8 }), fc.dictionary(text, tie('node'), { maxKeys: 5 })),
    })).node
    fc.assert(
      fc.property(text, tree, fc.integer({ min: -12, max: 12 }), (type, payload, delta) => {
        const action = { type, payload }
        const size = lineSize(action)
        const limit = Math.max(0, size + delta)
        const said = jsonSize(action, limit)
        if (said === 'small') expect(size).toBeLessThanOrEqual(limit)
        if (said === 'large') expect(size).toBeGreaterThan(limit)
      }),
      { numRuns: 4000 },
    )
    // A key of Object.prototype made enumerable is visited by the quick bound's for…in: a larger bound, never a smaller one.
    Object.defineProperty(Object.prototype, 'extra', { value: 'e'.repeat(50), enumerable: true, configurable: true, writable: true })
    try {
      const action = { type: 'x', payload: { a: 'b' } }
      expect(jsonSize(action, lineSize(action))).not.toBe('large')
    } finally {
      delete (Object.prototype as { extra?: unknown }).extra
    }
  })

  it('finds a page of data with a redacted field in every row large, and one whose bulk is redacted small', () => {
    const page = { type: 'page/loaded', payload: Array.from({ length: 3000 }, (_, i) => ({ id: i, text: 'x'.repeat(100), token: 't'.repeat(40) })) }
    expect(jsonSize(page, 256 * 1024, compileRedactor(['payload.*.token']))).toBe('large')
    const blob = { type: 'auth/loaded', payload: { blob: 'secret'.repeat(100_000), user: 'ann' } }
    expect(jsonSize(blob, 256 * 1024)).toBe('large')
    expect(jsonSize(blob, 256 * 1024, compileRedactor(['payload.blob']))).toBe('small')
    // The whole action matched: it is written as the redacted string.
    expect(jsonSize(blob, 100, compileRedactor(['**']))).toBe('small')
  })

  it('clears a typical action, finds a page of data large after a bounded walk, and leaves what it cannot bound to a measure', () => {
    expect(jsonSize({ type: 'todos/added', payload: { id: 'a', title: 'Milk', done: false } }, 256 * 1024)).toBe('small')
    expect(jsonSize({ type: 'x', payload: { at: new Date() } }, 1000)).toBe('small')
    expect(jsonSize({ type: 'page/loaded', payload: Array.from({ length: 3000 }, (_, i) => ({ id: i, text: 'x'.repeat(100) })) }, 256 * 1024)).toBe('large')
    // Between the bounds (40,000 characters: at most 240 KB and at least 40 KB): measured.
    expect(jsonSize({ type: 'x', payload: 'y'.repeat(40_000) }, 100_000)).toBe('unknown')
    const cyclic: Record<string, unknown> = { type: 'cycle' }
    cyclic.self = cyclic
    // A cycle, a class instance, nesting past 500: the projection leaves them out (a small action
    // with a cycle was called large, and its line would have held its type only).
    expect(jsonSize(cyclic, 256 * 1024)).toBe('unknown')
    class Big {
      data = 'x'.repeat(10_000)
    }
    expect(jsonSize({ type: 'x', payload: new Big() }, 1000)).toBe('unknown')
    let deep: unknown = 'x'.repeat(2000)
    for (let i = 0; i < 600; i++) deep = [deep]
    expect(jsonSize({ type: 'x', payload: deep }, 2500)).toBe('unknown')
    expect(jsonSize({ type: 'x', payload: new Map([['a', 'x'.repeat(5000)]]) }, 1000)).toBe('unknown')
    // A toJSON other than Date's may return anything.
    expect(jsonSize({ type: 'x', payload: { toJSON: () => 'small' } }, 1000)).toBe('unknown')
    // What the projection drops silently (RTK Query's meta.baseQueryMeta) is not counted: not "large".
    const handlers = Object.fromEntries(Array.from({ length: 100 }, (_, i) => ['f' + i, () => i]))
    expect(jsonSize({ type: 'x', meta: { baseQueryMeta: handlers } }, 1000)).not.toBe('large')
    expect(jsonSize({ type: 'x', payload: { baseQueryMeta: handlers } }, 1000)).toBe('large')
    const throwing = { type: 'x', get payload(): never { throw new Error('no') } }
    expect(jsonSize(throwing, 1000)).toBe('unknown')
  })
})
