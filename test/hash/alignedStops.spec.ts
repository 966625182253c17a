import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CompactFr64Hasher } from '../../src/hash/compact'
import { compileRedactor } from '../../src/redact'
import { cold, entity, sliced, state, type S } from './largeMap'

// One action that changes one entity of a large map: the step lists the map's keys (a native
// Object.keys, ~10 ms at 62,000 keys) and compares every value with the previous version's
// (~4 ms more). That was one task however small the slices. Now the comparison stops at a
// hashUntil deadline every 4,096 entries and goes on in the next call, from where it was. Each
// call here starts past its deadline, so it does the least it can; every hash must be what a cold
// hash of a JSON copy gives, and the steps after it too.


/**
 * The calls a one-entity step of an `entries`-key map takes with every deadline past: it stops
 * before its first entry, then every 4,096, and once more at its changed entry when that is the
 * 256th changed entry the hasher has seen since its last such check (a count across calls).
 */
function expectCalls(calls: number, entries: number): void {
  expect(calls).toBeGreaterThanOrEqual(1 + Math.ceil(entries / 4096))
  expect(calls).toBeLessThanOrEqual(2 + Math.ceil(entries / 4096))
}

const changeOne = (s: S, i: number, n: number): S => ({ ...s, entities: { ...s.entities, [`e${i}`]: entity(i, n) } })

describe.each([
  ['no redaction', undefined],
  ['redaction', compileRedactor(['*.secret', 'status'])!],
])('a one-entity step of a large map, stopped at the deadline (%s)', (_, redactor) => {
  it('goes on where it stopped, over several calls, to the hash a cold hash gives; the steps after it too', () => {
    const h = new CompactFr64Hasher(redactor ?? null)
    let s = state(20_000)
    h.hash(s)
    // Entities near the start, the middle, a 4,096 boundary and the end.
    for (const i of [3, 9_999, 4_096, 8_191, 19_999]) {
      const next = changeOne(s, i, -i)
      // It stops before its first entry (the key list filled the slice), then every 4,096.
      expectCalls(sliced(h, next, s), 20_000)
      expect(h.hex()).toBe(cold(next, redactor))
      s = next
    }
    // A step without a deadline, from a version finished over several calls.
    const t = changeOne(s, 77, 1)
    h.hash(t, s)
    expect(h.hex()).toBe(cold(t, redactor))
    // A key added at the end, over several calls.
    const u = { ...t, ids: [...t.ids, 'e20000'], entities: { ...t.entities, e20000: entity(20_000) } }
    expect(sliced(h, u, t)).toBeGreaterThan(1)
    expect(h.hex()).toBe(cold(u, redactor))
  }, 60_000)

  it('a large map as the whole state, and under nested maps that were updated too', () => {
    const h = new CompactFr64Hasher(redactor ?? null)
    const root = state(9_000).entities as Record<string, unknown>
    h.hash(root)
    const r1 = { ...root, e5: entity(5, 50) }
    expectCalls(sliced(h, r1, root), 9_000)
    expect(h.hex()).toBe(cold(r1, redactor))

    const g = new CompactFr64Hasher(redactor ?? null)
    const deep = (s: S) => ({ app: { todos: s, other: { x: 1 } }, session: 'abc' })
    let s = state(9_000)
    let d = deep(s)
    g.hash(d)
    for (const i of [0, 8_999, 4_500]) {
      const next = changeOne(s, i, 7)
      const nd = { ...d, app: { ...d.app, todos: next } }
      // The updates on the way give up, the walks that can stop go on: as many calls as alone.
      expectCalls(sliced(g, nd, d), 9_000)
      expect(g.hex()).toBe(cold(nd, redactor))
      s = next
      d = nd
    }
  }, 60_000)
})

describe.each([
  ['no redaction', undefined],
  ['redaction', compileRedactor(['*.secret', 'status'])!],
])('a cut above a large map (64 changed entries in a container on its path) (%s)', (_, redactor) => {
  // Each update that gives up leaves its container to `full`, which goes on from the previous
  // version's children (it used to drop them: the map under it was walked afresh, ~250 calls here),
  // and is reached through walks that can stop (it used to run under an update: one call, however
  // large the map).
  for (const depth of [1, 2]) {
    it(`the map's step still stops and goes on, at depth ${depth} below the cut`, () => {
      const h = new CompactFr64Hasher(redactor ?? null)
      const wrap = (x: Record<string, number>, todos: S) => {
        const b = { ...x, todos }
        return depth === 1 ? { a: b, z: 1 } : { a: { b, y: 2 }, z: 1 }
      }
      const xs = (n: number) => Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x${i}`, n + i]))
      let todos = state(9_000)
      let d = wrap(xs(0), todos)
      h.hash(d)
      for (let step = 1; step <= 3; step++) {
        todos = changeOne(todos, step * 1000, -step)
        const next = wrap(xs(step), todos)
        expectCalls(sliced(h, next, d), 9_000)
        expect(h.hex()).toBe(cold(next, redactor))
        d = next
      }
    })
  }
})

it('stepsWhole: a one-entity step ends in the call that begins or goes on with it; a rewrite of every entity still stops', () => {
  const h = new CompactFr64Hasher(null)
  let s = state(20_000)
  h.hash(s)
  for (const i of [0, 12_345, 19_999]) {
    const next = changeOne(s, i, 5)
    expect(h.hashUntil(next, performance.now() - 1, s, true)).toBe(true)
    expect(h.hex()).toBe(cold(next))
    s = next
  }
  // Begun in a call that may stop, then finished by one that may not.
  const t = changeOne(s, 3, 3)
  expect(h.hashUntil(t, performance.now() - 1, s)).toBe(false)
  expect(h.hashUntil(t, performance.now() - 1, s, true)).toBe(true)
  expect(h.hex()).toBe(cold(t))
  const rewritten = { ...t, entities: Object.fromEntries(Object.entries(t.entities).map(([k, e]) => [k, { ...e, n: e.n + 1 }])) }
  let calls = 1
  while (!h.hashUntil(rewritten, performance.now() - 1, t, true)) calls++
  expect(calls).toBeGreaterThan(10)
  expect(h.hex()).toBe(cold(rewritten))
})

it('a step stopped part way and then left (another state hashed instead) leaves later steps right', () => {
  const h = new CompactFr64Hasher(null)
  const s0 = state(12_000)
  h.hash(s0)
  const s1 = changeOne(s0, 10, 1)
  // Stopped part way through s1's map.
  expect(h.hashUntil(s1, performance.now() - 1, s0)).toBe(false)
  expect(h.hashUntil(s1, performance.now() - 1, s0)).toBe(false)
  // Another state instead: s1's work is dropped, and the previous version gave up its kept values.
  const s2 = changeOne(s0, 11, 2)
  expect(sliced(h, s2, s0)).toBeGreaterThan(1)
  expect(h.hex()).toBe(cold(s2))
  const s3 = changeOne(s2, 11_999, 3)
  h.hash(s3, s2)
  expect(h.hex()).toBe(cold(s3))
  // And s1 again, from s0, whose kept entry hashes and values went to the dropped step.
  h.hash(s1, s0)
  expect(h.hex()).toBe(cold(s1))
})

it('property: random edits of a large map, hashed with deadlines past or none, give cold hashes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1_021, max: 9_000 }),
      fc.array(
        fc.record({
          edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 4 }),
          add: fc.boolean(),
          sliced: fc.boolean(),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      (size, steps) => {
        const h = new CompactFr64Hasher(null)
        let s = state(size)
        let count = size
        h.hash(s)
        for (const step of steps) {
          const entities = { ...s.entities }
          for (const [at, n] of step.edits) entities[`e${at % count}`] = entity(at % count, n)
          const ids = step.add ? [...s.ids, `e${count}`] : s.ids
          if (step.add) entities[`e${count}`] = entity(count++)
          const next = { ...s, ids, entities }
          if (step.sliced) sliced(h, next, s)
          else h.hash(next, s)
          expect(h.hex()).toBe(cold(next))
          s = next
        }
      },
    ),
    { numRuns: 40 },
  )
}, 120_000)
