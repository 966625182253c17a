import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stateHash } from '../../src/hash'
import { CompactFr64Hasher } from '../../src/hash/compact'

// The compact engine keeps the records `update` makes young first (src/hash/compact.ts, Young): a
// record moves to the WeakMap only if it outlives two calls, and the previous version a step was
// computed from loses its young record. Going back to such a version (undo, time travel), sharing a subtree between
// two places, or two hashers taking turns must still give the cold hash of a JSON copy.

const cold = (v: unknown) => stateHash(JSON.parse(JSON.stringify(v)))
type S = { todos: { id: number; done: boolean; tags: string[] }[]; ui: { filter: string; page: number }; big?: Record<string, number> }

const initial: S = { todos: [{ id: 0, done: false, tags: ['a'] }], ui: { filter: 'all', page: 0 } }

function step(s: S, op: number, arg: number): S {
  switch (op) {
    case 0: // add a todo
      return { ...s, todos: [...s.todos, { id: s.todos.length, done: false, tags: [] }] }
    case 1: // toggle one: a new todo and a new array, the other todos shared
      return { ...s, todos: s.todos.map((t, i) => (i === arg % s.todos.length ? { ...t, done: !t.done } : t)) }
    case 2: // a new page in a small container
      return { ...s, ui: { ...s.ui, page: arg } }
    case 3: // one subtree in two places
      return { ...s, ui: { ...s.ui, filter: String(arg) }, big: s.big ?? Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i])) }
    default: // a larger container (over the young limit) changed
      return s.big ? { ...s, big: { ...s.big, [`k${arg % 80}`]: -arg } } : s
  }
}

describe('compact fr64: young records', () => {
  it('equals a cold hash going forward, back to any earlier state, and with two hashers taking turns', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.nat(1000)), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 30 }),
        (ops, visits) => {
          const states: S[] = [initial]
          for (const [op, arg] of ops) states.push(step(states.at(-1)!, op, arg))
          const a = new CompactFr64Hasher()
          const b = new CompactFr64Hasher()
          let last: S | undefined
          // Forward, each step from the one before, hasher b now and then hashing something else.
          for (let i = 0; i < states.length; i++) {
            a.hash(states[i], last)
            expect(a.hex()).toBe(cold(states[i]))
            if (i % 3 === 0) {
              b.hash(states[states.length - 1 - i])
              expect(b.hex()).toBe(cold(states[states.length - 1 - i]))
            }
            last = states[i]
          }
          // Back and forth at random: from the last state hashed, or from nothing.
          for (const [n, withPrev] of visits) {
            const s = states[n % states.length]
            a.hash(s, withPrev ? last : undefined)
            expect(a.hex()).toBe(cold(s))
            last = s
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('hashes a state whose one object sits in two places after the version it replaced lost its record', () => {
    const h = new CompactFr64Hasher()
    const shared = { x: 1, y: [1, 2, 3], z: 'z' }
    const s0 = { a: shared, b: shared, n: 0 }
    h.hash(s0)
    // `a` gets a new version computed from `shared`, whose young record is dropped; `b` still holds it.
    const s1 = { a: { ...shared, x: 2 }, b: shared, n: 1 }
    h.hash(s1, s0)
    expect(h.hex()).toBe(cold(s1))
    const s2 = { a: s1.a, b: shared, c: shared, n: 2 }
    h.hash(s2, s1)
    expect(h.hex()).toBe(cold(s2))
    h.hash(s0, s2) // undo to the start
    expect(h.hex()).toBe(cold(s0))
  })

  it('keeps records young across hashUntil slices and re-entrant hashes of other states', () => {
    const h = new CompactFr64Hasher()
    const big = (n: number) => ({ rows: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`r${i}`, { i, n: i === 7 ? n : 0 }])), n })
    let prev = big(0)
    h.hash(prev)
    for (let n = 1; n < 6; n++) {
      const next = { ...prev, rows: { ...prev.rows, r7: { i: 7, n } }, n }
      // A deadline already passed: every call makes a little progress, then stops.
      let calls = 0
      while (!h.hashUntil(next, performance.now() - 1, prev)) {
        calls++
        // Another hasher and a one-off hash in between (what a getter or a test might do).
        expect(stateHash({ n, other: [calls] })).toBe(cold({ n, other: [calls] }))
      }
      expect(h.hex()).toBe(cold(next))
      prev = next
    }
  })
})
