import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CompactFr64Hasher } from '../../src/hash/compact'
import { compileRedactor } from '../../src/redact'
import { cold, entity, sliced, state, type S } from './largeMap'

// A version computed from its previous one (`update`, `aligned`) could not stop at a hashUntil
// deadline: one action that filled a large map, or rewrote every entity of one, was hashed in one
// long task (~300 ms at 60,000 entities) however small the slices. Now such a version gives up at
// the deadline and `full` walks on from the previous version's children in later slices. Each call
// here starts past its deadline, so it does the least it can; the hashes must be what a cold hash
// of a JSON copy gives, and the steps after them too.


const edits: [string, (s: S) => S][] = [
  ['a 10-key map filled with 20,000 entities', (s) => ({ ...s, ...state(20_000, 10), status: 'loaded' })],
  [
    'every entity of a 20,000-key map rewritten (keys in the same order)',
    (s) => ({ ...s, entities: Object.fromEntries(Object.entries(s.entities).map(([k, e]) => [k, { ...e, n: e.n + 1 }])) }),
  ],
  [
    'every entity rewritten and the keys reordered',
    (s) => ({ ...s, entities: Object.fromEntries(Object.entries(s.entities).reverse().map(([k, e]) => [k, { ...e, tags: [...e.tags, 'x'] }])) }),
  ],
  ['the ids array rewritten', (s) => ({ ...s, ids: s.ids.map((id) => id + '!') })],
]

describe.each([
  ['no redaction', undefined],
  ['redaction', compileRedactor(['*.secret', 'status'])!],
])('a version computed from its previous one, cut at the deadline (%s)', (_, redactor) => {
  it.each(edits)('%s: over many slices, with the hash a cold hash gives, and the next steps from it', (name, edit) => {
    const h = new CompactFr64Hasher(redactor ?? null)
    const s0 = name.startsWith('a 10-key') ? state(10) : state(20_000)
    h.hash(s0)
    const s1 = edit(s0)
    // Cut: far more than the one call (one long task) it used to take.
    expect(sliced(h, s1, s0)).toBeGreaterThan(10)
    expect(h.hex()).toBe(cold(s1, redactor))
    // The next steps, incremental from a version that was walked by `full` after a cut.
    const s2 = { ...s1, entities: { ...s1.entities, e15: { id: 'e15', n: -1, tags: [] } } }
    h.hash(s2, s1)
    expect(h.hex()).toBe(cold(s2, redactor))
    const s3 = edit(s2)
    sliced(h, s3, s2)
    expect(h.hex()).toBe(cold(s3, redactor))
    // Without a deadline the same versions hash in one call, to the same result.
    const g = new CompactFr64Hasher(redactor ?? null)
    g.hash(s0)
    g.hash(s1, s0)
    expect(g.hex()).toBe(cold(s1, redactor))
  }, 60_000)
})

it('an empty slice filled by one action, under a root with other slices: over many slices', () => {
  // RTK's \`getInitialState()\` then \`setAll\`: the previous map and ids array are empty, too cheap to
  // have a record, so nothing could be updated from them, and \`full\` walked the new ones under the
  // updates of the root and the slice, where it could not stop (~250 ms for 50,000 entities in a
  // browser, one task).
  const root = (items: S, clicks: number) => ({ items, ui: { clicks, filter: 'f', page: 2, open: true }, auth: { user: 'u', token: 't' }, more: [1, 2, 3] })
  for (const redactor of [null, compileRedactor(['*.secret', 'auth.token'])!]) {
    const h = new CompactFr64Hasher(redactor)
    const s0 = root(state(0), 0)
    h.hash(s0)
    const s1 = { ...s0, items: { ...state(20_000), status: 'loaded' } }
    expect(sliced(h, s1, s0)).toBeGreaterThan(10)
    expect(h.hex()).toBe(cold(s1, redactor ?? undefined))
    // The steps after it update from what the slices recorded.
    const s2 = { ...s1, items: { ...s1.items, entities: { ...s1.items.entities, e7: entity(7, -7) } }, ui: { ...s1.ui, clicks: 1 } }
    sliced(h, s2, s1)
    expect(h.hex()).toBe(cold(s2, redactor ?? undefined))
    const s3 = { ...s2, items: { ...s2.items, entities: { ...s2.items.entities, e9: entity(9, -9) } } }
    h.hash(s3, s2)
    expect(h.hex()).toBe(cold(s3, redactor ?? undefined))
    // Without a deadline, one call, the same hash.
    const g = new CompactFr64Hasher(redactor)
    g.hash(s0)
    g.hash(s1, s0)
    expect(g.hex()).toBe(cold(s1, redactor ?? undefined))
  }
})

it('a large map emptied: its old entries are not all hashed again in one call (each too cheap to have been kept)', () => {
  let reads = 0
  const entity = (i: number) => {
    const e = { id: i } as { id: number; n: number }
    Object.defineProperty(e, 'n', { get: () => (reads++, i), enumerable: true })
    return e
  }
  const s0 = { entities: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`e${i}`, entity(i)])), status: 'idle' }
  const h = new CompactFr64Hasher()
  h.hash(s0)
  reads = 0
  const s1 = { ...s0, entities: { e0: s0.entities.e0, e1: s0.entities.e1 } }
  sliced(h, s1, s0)
  // It used to read every old entity again (20,000 reads) to subtract its hash.
  expect(reads).toBeLessThan(500)
  expect(h.hex()).toBe(cold(s1))
  // Without a deadline it still subtracts them, to the same result.
  const g = new CompactFr64Hasher()
  g.hash(s0)
  g.hash(s1, s0)
  expect(g.hex()).toBe(h.hex())
})

it('a step under a toJSON (which cannot give up) is not cut, and hashes right', () => {
  const h = new CompactFr64Hasher()
  const inner0 = state(2_000)
  const wrap = (inner: S) => ({ box: { toJSON: () => inner }, plain: inner })
  const s0 = wrap(inner0)
  h.hash(s0)
  const inner1 = { ...inner0, entities: Object.fromEntries(Object.entries(inner0.entities).map(([k, e]) => [k, { ...e, n: 0 }])) }
  const s1 = wrap(inner1)
  sliced(h, s1, s0)
  expect(h.hex()).toBe(cold(s1))
})

it('equals a cold hash along random bulk edits hashed in slices (cut or not), nested, with and without redaction', () => {
  const redactor = compileRedactor(['*.secret', 'meta.token'])!
  // An edit: how many entries it rewrites (0-300: a cut needs 64 past the deadline), where it starts,
  // whether it also adds/removes keys, and whether each slice has its deadline already passed.
  // `fresh` ≥ 0: the map is replaced by a new one of that many entries (emptied, or filled from empty: a
  // new container of 1,024 entries or more under updates is cut to, see fullOrCut).
  const edit = fc.record({ count: fc.nat(300), from: fc.nat(1000), add: fc.nat(150), remove: fc.nat(40), reorder: fc.boolean(), passed: fc.boolean(), fresh: fc.oneof(fc.constant(-1), fc.constant(0), fc.nat(1500)) })
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 700 }), fc.boolean(), fc.boolean(), fc.array(edit, { minLength: 1, maxLength: 6 }), (size, redact, asArray, edits) => {
      const r = redact ? redactor : null
      const h = new CompactFr64Hasher(r)
      const mk = (i: number, n: number) => ({ id: i, n, secret: `s${i}`, tags: [n % 3, 'x'] })
      let map: Record<string, unknown> = Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, mk(i, 0)]))
      const wrap = (m: Record<string, unknown>) => ({ meta: { token: 't', v: 1 }, list: asArray ? Object.values(m) : [], map: asArray ? {} : m, n: Object.keys(m).length })
      let prev = wrap(map)
      h.hash(prev)
      let step = 0
      for (const e of edits) {
        step++
        let entries = Object.entries(map)
        for (let j = 0; j < e.count && entries.length > 0; j++) {
          const at = (e.from + j) % entries.length
          entries[at] = [entries[at][0], mk(at, step * 1000 + j)]
        }
        entries = entries.slice(Math.min(e.remove, entries.length))
        for (let j = 0; j < e.add; j++) entries.push([`a${step}_${j}`, mk(j, step)])
        if (e.reorder) entries.reverse()
        if (e.fresh >= 0) entries = Array.from({ length: e.fresh }, (_, i) => [`f${step}_${i}`, mk(i, -step)])
        map = Object.fromEntries(entries)
        const next = wrap(map)
        let calls = 0
        while (!h.hashUntil(next, e.passed ? performance.now() - 1 : Infinity, prev)) if (++calls > 100_000) throw new Error('no progress')
        expect(h.hex()).toBe(cold(next, r ?? undefined))
        prev = next
      }
    }),
    { numRuns: 120 },
  )
}, 120_000)
