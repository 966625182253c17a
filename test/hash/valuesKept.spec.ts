import { describe, expect, it } from 'vitest'
import { stateHash } from '../../src/hash'
import { CompactFr64Hasher } from '../../src/hash/compact'

// The compact engine keeps a large map's values with its key list (src/hash/compact.ts, Rec.vs):
// they move to the next version, so a step reads only the new version's values. Every hash here
// must equal a cold hash of a JSON copy, whatever order versions are hashed in.

const cold = (v: unknown) => stateHash(JSON.parse(JSON.stringify(v)))
type M = Record<string, unknown>

function map(count: number): M {
  const m: M = {}
  for (let i = 0; i < count; i++) m[`k${i}`] = { id: `k${i}`, n: i }
  return m
}

describe('compact fr64: values kept with a large map', () => {
  it('equals a cold hash along changes, an added key, a removed key and changes again', () => {
    const h = new CompactFr64Hasher()
    let prev: M = { items: map(1500) }
    h.hash(prev)
    const edits: ((m: M) => M)[] = [
      (m) => ({ ...m, k3: { id: 'k3', n: -3 } }),
      (m) => ({ ...m, k1400: { id: 'k1400', n: -1400 } }),
      (m) => ({ ...m, added: { id: 'added', n: 0 } }),
      (m) => ({ ...m, k3: { id: 'k3', n: 3 }, added: { id: 'added', n: 1 } }),
      (m) => {
        const { k10: _gone, ...rest } = m
        return rest
      },
      (m) => ({ ...m, k11: 'now a string' }),
      (m) => ({ ...m, k11: { id: 'k11', n: 11 } }),
    ]
    for (const edit of edits) {
      const next = { items: edit(prev.items as M) }
      h.hash(next, prev)
      expect(h.hex()).toBe(cold(next))
      prev = next
    }
  })

  it('equals a cold hash when two versions are made from the same one (the values moved to the first)', () => {
    const h = new CompactFr64Hasher()
    const s0 = { items: map(1500) }
    h.hash(s0)
    const s1 = { items: { ...s0.items, k5: { id: 'k5', n: 50 } } }
    h.hash(s1, s0)
    // s1 holds the key list and values now; s2 holds them after this step.
    const s2 = { items: { ...s1.items, k6: { id: 'k6', n: 60 } } }
    h.hash(s2, s1)
    // Another version from s1, whose values went to s2.
    const b2 = { items: { ...s1.items, k7: { id: 'k7', n: 70 } } }
    h.hash(b2, s1)
    expect(h.hex()).toBe(cold(b2))
    // And on from s2, which kept them.
    const s3 = { items: { ...s2.items, k5: { id: 'k5', n: 500 } } }
    h.hash(s3, s2)
    expect(h.hex()).toBe(cold(s3))
  })

  it('equals a cold hash when a step gives up part way (a changed value with toJSON) and another version is made from the same one', () => {
    const h = new CompactFr64Hasher()
    const s0 = { items: { ...map(1500), k700: { toJSON: () => 'seven hundred' } } }
    h.hash(s0)
    // s1 is hashed from s0 by the aligned path and keeps the values.
    const s1 = { items: { ...s0.items, k1: { id: 'k1', n: 10 } } }
    h.hash(s1, s0)
    expect(h.hex()).toBe(cold(s1))
    // From s1: k100 changes, then k700 (its old value has toJSON: its old hash is unknown, the step starts over in full).
    const n1 = { items: { ...s1.items, k100: { id: 'k100', n: 1 }, k700: { id: 'k700', n: 7 } } }
    h.hash(n1, s1)
    expect(h.hex()).toBe(cold(n1))
    // Another version from s1: its values must not be n1's.
    const n2 = { items: { ...s1.items, k100: { id: 'k100', n: 2 } } }
    h.hash(n2, s1)
    expect(h.hex()).toBe(cold(n2))
    const n3 = { items: { ...n2.items, k100: { id: 'k100', n: 1 } } }
    h.hash(n3, n2)
    expect(h.hex()).toBe(cold(n3))
  })
})
