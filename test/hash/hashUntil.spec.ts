import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { stateHash } from '../../src/hash'
import { CompactFr64Hasher as Fr64Hasher } from '../../src/hash/compact'
import { applyRedaction, compileRedactor } from '../../src/redact'

// `hashUntil` with a deadline that has already passed stops at every clock check (every few hundred
// entries of a container hashed in full), so these tests cut the walk as often as it can be cut,
// without depending on how fast the machine is.
const PAST = 0

/** A hash of a JSON copy by a fresh default hasher: no cached record, no previous version. */
const cold = (v: unknown) => stateHash(JSON.parse(JSON.stringify(v) ?? 'null'))

/** Calls hashUntil until it is done; returns the hash and how many calls it took. */
function untilDone(h: Fr64Hasher, state: unknown, prev?: unknown, between?: () => void): { hash: string; calls: number } {
  let calls = 0
  for (;;) {
    calls++
    if (h.hashUntil(state, PAST, prev)) return { hash: h.hex(), calls }
    if (calls > 100_000) throw new Error('hashUntil made no progress')
    between?.()
  }
}

type Entity = { id: string; title: string; n: number; done: boolean; tags: string[]; meta?: { deep: number[] } }
type State = { ids: string[]; entities: Record<string, Entity>; status: string; list: unknown[] }

function bigState(count: number): State {
  const s: State = { ids: [], entities: {}, status: 'idle', list: [] }
  for (let i = 0; i < count; i++) {
    const id = `e${i}`
    s.ids.push(id)
    s.entities[id] = { id, title: `Item ${i}`, n: i, done: i % 3 === 0, tags: ['a', String(i % 5)], ...(i % 7 === 0 ? { meta: { deep: [i, i + 1] } } : {}) }
    s.list.push(i % 2 ? { k: i, v: [i] } : `s${i}`)
  }
  return s
}

describe('Fr64Hasher.hashUntil', () => {
  it('stops at the deadline and, called again with the same state, finishes with the full hash', () => {
    const state = bigState(3000)
    const h = new Fr64Hasher()
    const { hash, calls } = untilDone(h, state)
    expect(calls).toBeGreaterThan(10)
    expect(hash).toBe(cold(state))
    // Done: the state is cached, so the next call finishes at once.
    expect(h.hashUntil(state, PAST)).toBe(true)
    expect(h.hex()).toBe(hash)
  })

  it('gives the same hash as `hash` for arbitrary JSON, cut at every check', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 1, max: 400 }), (v, copies) => {
        // Wide enough to be cut: the value repeated in an array and as the values of an object.
        const wide = { arr: Array.from({ length: copies }, () => JSON.parse(JSON.stringify(v) ?? 'null')), obj: Object.fromEntries(Array.from({ length: copies }, (_, i) => [`k${i}`, v])) }
        expect(untilDone(new Fr64Hasher(), wide).hash).toBe(cold(wide))
      }),
      { numRuns: 60 },
    )
  })

  it('hashes each new version from the previous one, also when the previous one was hashed in slices', () => {
    const h = new Fr64Hasher()
    let prev: State = bigState(1500)
    expect(untilDone(h, prev).hash).toBe(cold(prev))
    for (let step = 0; step < 60; step++) {
      const id = `e${(step * 37) % 1600}`
      const e = prev.entities[id]
      let next: State
      if (step % 10 === 3) {
        // A new list: hashed in full again, in slices.
        next = { ...prev, list: prev.list.map((x, i) => (i === step ? { changed: step } : x)) }
      } else if (e) next = { ...prev, entities: { ...prev.entities, [id]: { ...e, n: e.n + 1, done: !e.done } } }
      else next = { ...prev, ids: [...prev.ids, id], entities: { ...prev.entities, [id]: { id, title: id, n: 0, done: false, tags: [] } } }
      expect(untilDone(h, next, prev).hash).toBe(cold(next))
      prev = next
    }
  })

  it('lets `hash` and `hashAt` run for other states between two slices', () => {
    const h = new Fr64Hasher()
    const state = bigState(2000)
    const other = bigState(300)
    let between = 0
    const { hash, calls } = untilDone(h, state, undefined, () => {
      between++
      h.hash(other)
      expect(h.hex()).toBe(cold(other))
      expect(h.hashAt(state.entities.e5, ['entities', 'e5'])).toBe(cold(state.entities.e5))
      // The very state being hashed in slices, in full, in between: the slices stay right.
      if (between === 3) {
        h.hash(state.list)
        expect(h.hex()).toBe(cold(state.list))
      }
    })
    expect(calls).toBeGreaterThan(3)
    expect(hash).toBe(cold(state))
  })

  it('drops the partial work when given another state, and still hashes each right', () => {
    const h = new Fr64Hasher()
    const a = bigState(2000)
    const b = { ...bigState(2000), status: 'other' }
    expect(h.hashUntil(a, PAST)).toBe(false)
    expect(untilDone(h, b).hash).toBe(cold(b))
    expect(untilDone(h, a).hash).toBe(cold(a))
  })

  it('applies redaction the same way when cut', () => {
    const redactor = compileRedactor(['entities.*.title', 'list.**', 'status'])
    const state = bigState(1500)
    const { hash, calls } = untilDone(new Fr64Hasher(redactor), state)
    expect(calls).toBeGreaterThan(3)
    expect(hash).toBe(cold(applyRedaction(state, redactor)))
    expect(hash).toBe(stateHash(state, redactor))
  })

  it('always makes progress, also in a state nested deeper than the entries counted between checks', () => {
    let deep: unknown = 'leaf'
    for (let i = 0; i < 1200; i++) deep = i % 2 ? { [`k${i}`]: deep, pad: Array.from({ length: 9 }, (_, j) => j) } : [deep, i, [i, i]]
    expect(untilDone(new Fr64Hasher(), deep).hash).toBe(cold(deep))
  })

  it('leaves a circular reference out, part way through a sliced hash, and keeps working afterwards', () => {
    const h = new Fr64Hasher()
    const s = bigState(1000) as State & { self?: unknown }
    const loop: Record<string, unknown> = { a: 1 }
    loop.back = { again: loop }
    s.entities.e900 = { ...s.entities.e900, meta: loop as never }
    // Hashed as the state without `back.again` (src/internal/readable.ts), which it lists.
    expect(untilDone(h, s).hash).toBe(cold({ ...s, entities: { ...s.entities, e900: { ...s.entities.e900, meta: { a: 1, back: {} } } } }))
    expect(h.leftOut).toEqual([{ path: 'entities.e900.meta.back.again', kind: 'circular' }])
    const ok = bigState(1000)
    expect(untilDone(h, ok).hash).toBe(cold(ok))
  })

  it('keeps toJSON, Date, class instances and undefined values as JSON does', () => {
    class P {
      constructor(public x: number) {}
    }
    const state = Object.fromEntries(
      Array.from({ length: 1200 }, (_, i) => [`k${i}`, i % 4 === 0 ? new Date(i * 1e9) : i % 4 === 1 ? new P(i) : i % 4 === 2 ? { toJSON: (key: string) => `${key}!` } : { u: undefined, f: () => i, n: NaN }]),
    )
    expect(untilDone(new Fr64Hasher(), state).hash).toBe(cold(state))
  })

  it('measures its work: the entries of the containers it made records for', () => {
    const h = new Fr64Hasher()
    const s = bigState(1000)
    h.hash(s)
    expect(h.work).toBeGreaterThan(3000)
    const next = { ...s, entities: { ...s.entities, e3: { ...s.entities.e3, n: -1 } } }
    h.hash(next, s)
    // The root and the entity map are new; nothing else is walked.
    expect(h.work).toBeGreaterThanOrEqual(1000)
    expect(h.work).toBeLessThan(1100)
  })
})
