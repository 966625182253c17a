import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mayExceed } from '../../src/internal/mayExceed'
import { utf8Length } from '../../src/internal/utf8'

describe('mayExceed (the dispatch-time bound of an action line)', () => {
  it('never says "surely not" for a value whose JSON is longer than the limit (property, control characters and non-BMP text included)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 0, max: 4000 }), (value, limit) => {
        if (!mayExceed(value, limit)) expect(utf8Length(JSON.stringify(value) ?? '')).toBeLessThanOrEqual(limit)
      }),
      { numRuns: 2000 },
    )
  })

  it('clears a typical action in a few steps, and stops early on a large, cyclic or unknowable one', () => {
    expect(mayExceed({ type: 'todos/added', payload: { id: 'a', title: 'Milk', done: false } }, 256 * 1024)).toBe(false)
    expect(mayExceed({ type: 'x', payload: { at: new Date() } }, 1000)).toBe(false)
    expect(mayExceed({ type: 'page/loaded', payload: Array.from({ length: 3000 }, (_, i) => ({ id: i, text: 'x'.repeat(100) })) }, 256 * 1024)).toBe(true)
    const cyclic: Record<string, unknown> = { type: 'cycle' }
    cyclic.self = cyclic
    expect(mayExceed(cyclic, 256 * 1024)).toBe(true)
    // A toJSON other than Date's may return anything.
    expect(mayExceed({ type: 'x', payload: { toJSON: () => 'small' } }, 1000)).toBe(true)
    const throwing = { type: 'x', get payload(): never { throw new Error('no') } }
    expect(mayExceed(throwing, 1000)).toBe(true)
  })
})
