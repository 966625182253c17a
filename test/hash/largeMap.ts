import { stateHash } from '../../src/hash'
import type { CompactFr64Hasher } from '../../src/hash/compact'
import type { Redactor } from '../../src/redact'

// An RTK-style `{ ids, entities }` state and the helpers that the sliced-hashing specs share
// (cutUpdates.spec.ts, alignedStops.spec.ts).

export type E = { id: string; n: number; tags: string[]; secret?: string }
export type S = { ids: string[]; entities: Record<string, E>; status: string }

export const entity = (i: number, n = i): E => ({ id: `e${i}`, n, tags: ['a', String(i % 4)], secret: `s${i}` })

/** `count` entities, ids `e<from>`…. */
export function state(count: number, from = 0): S {
  const s: S = { ids: [], entities: {}, status: 'idle' }
  for (let i = from; i < from + count; i++) {
    s.ids.push(`e${i}`)
    s.entities[`e${i}`] = entity(i)
  }
  return s
}

/** The hash of a JSON copy, from scratch. */
export const cold = (v: unknown, r?: Redactor) => stateHash(JSON.parse(JSON.stringify(v)), r)

/** hashUntil with deadlines already past: the number of calls it took. */
export function sliced(h: CompactFr64Hasher, next: unknown, prev: unknown): number {
  let calls = 1
  while (!h.hashUntil(next, performance.now() - 1, prev)) calls++
  return calls
}
