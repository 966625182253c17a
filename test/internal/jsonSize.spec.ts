import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonSize } from '../../src/internal/jsonSize'
import { utf8Length } from '../../src/internal/utf8'

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
        const size = utf8Length(JSON.stringify(v) ?? '')
        const said = jsonSize(v, limit)
        if (said === 'small') expect(size).toBeLessThanOrEqual(limit)
        if (said === 'large') expect(size).toBeGreaterThan(limit)
      }),
      { numRuns: 3000 },
    )
  })

  it('clears a typical action, finds a page of data large after a bounded walk, and leaves what it cannot bound to a measure', () => {
    expect(jsonSize({ type: 'todos/added', payload: { id: 'a', title: 'Milk', done: false } }, 256 * 1024)).toBe('small')
    expect(jsonSize({ type: 'x', payload: { at: new Date() } }, 1000)).toBe('small')
    expect(jsonSize({ type: 'page/loaded', payload: Array.from({ length: 3000 }, (_, i) => ({ id: i, text: 'x'.repeat(100) })) }, 256 * 1024)).toBe('large')
    // Between the bounds (40,000 characters: at most 240 KB and at least 40 KB): measured.
    expect(jsonSize({ type: 'x', payload: 'y'.repeat(40_000) }, 100_000)).toBe('unknown')
    const cyclic: Record<string, unknown> = { type: 'cycle' }
    cyclic.self = cyclic
    expect(jsonSize(cyclic, 256 * 1024)).toBe('large')
    // A toJSON other than Date's may return anything.
    expect(jsonSize({ type: 'x', payload: { toJSON: () => 'small' } }, 1000)).toBe('unknown')
    const throwing = { type: 'x', get payload(): never { throw new Error('no') } }
    expect(jsonSize(throwing, 1000)).toBe('unknown')
  })
})
