import { describe, expect, it } from 'vitest'
import { Fr64Hasher as FastFr64Hasher, stateHash } from '../../src/hash'
import { CompactFr64Hasher } from '../../src/hash/compact'

// A new version of a large map must be hashed with its own key set, whatever else stayed the same.
// Replay hashes states parsed from JSON, with no cache: a shortcut that took the key set from
// somewhere else (the previous version's keys, an unchanged `ids` array of an RTK entity state)
// would record a hash no replay reaches, a false divergence. These edits keep `ids` (and every
// other value) the same reference and change only the entity map's keys.

const cold = (v: unknown) => stateHash(JSON.parse(JSON.stringify(v)))

type E = { id: string; n: number; tags: string[] }
type S = { ids: string[]; entities: Record<string, E>; status: string }

function state(count: number): S {
  const s: S = { ids: [], entities: {}, status: 'idle' }
  for (let i = 0; i < count; i++) {
    s.ids.push(`e${i}`)
    s.entities[`e${i}`] = { id: `e${i}`, n: i, tags: ['a', String(i % 4)] }
  }
  return s
}

const cases = [20, 1100, 5000].flatMap((count) => [
  { engine: 'fr64', Fr64Hasher: FastFr64Hasher as new () => { hash(s: unknown, p?: unknown): void; hex(): string }, count },
  { engine: 'compact', Fr64Hasher: CompactFr64Hasher as new () => { hash(s: unknown, p?: unknown): void; hex(): string }, count },
])

describe.each(cases)('$engine: key sets of a $count-entity map', ({ Fr64Hasher, count }) => {
  it('sees an entity added without changing `ids`', () => {
    const h = new Fr64Hasher()
    const s = state(count)
    h.hash(s)
    const added = { ...s, entities: { ...s.entities, stray: { id: 'stray', n: -1, tags: [] } } }
    h.hash(added, s)
    expect(added.ids).toBe(s.ids)
    expect(h.hex()).toBe(cold(added))
    expect(h.hex()).not.toBe(cold(s))
  })

  it('sees an entity removed, and one swapped for another at the same place, without changing `ids`', () => {
    const h = new Fr64Hasher()
    const s = state(count)
    h.hash(s)
    const { e3: _gone, ...rest } = s.entities
    const removed = { ...s, entities: rest }
    h.hash(removed, s)
    expect(h.hex()).toBe(cold(removed))
    // Same count, same values, one key renamed: only the key set tells it apart.
    const renamed: Record<string, E> = {}
    for (const k of Object.keys(removed.entities)) renamed[k === 'e5' ? 'e5x' : k] = removed.entities[k]
    const swapped = { ...removed, entities: renamed }
    h.hash(swapped, removed)
    expect(h.hex()).toBe(cold(swapped))
    // And back: a key added while one entity changed, the key count unchanged overall.
    const back = { ...swapped, entities: { ...rest, e4: { ...rest.e4, n: 99 }, e3: s.entities.e3 } }
    delete (back.entities as Record<string, E>).e7
    h.hash(back, swapped)
    expect(h.hex()).toBe(cold(back))
  })

  it('sees keys added to the map while hashing in slices', () => {
    const h = new CompactFr64Hasher()
    const s = state(count)
    while (!h.hashUntil(s, 0));
    const added = { ...s, entities: { ...s.entities, [`e${count}`]: { id: 'late', n: 0, tags: [] } } }
    while (!h.hashUntil(added, 0, s));
    expect(h.hex()).toBe(cold(added))
  })
})
