// One fr64 engine ships: the compact one (src/hash/compact.ts), resumable, which the recorder, replay,
// shrinking and the converters all use. The older engine with more fast paths (src/hash/fr64.ts) is
// kept only as the reference the tests and `bench/engines-ab.mjs` compare against.
import type { Redactor } from '../redact'
import { CompactFr64Hasher } from './compact'
import { hashHex } from './hashHex'

export { CompactFr64Hasher as Fr64Hasher, keyLists } from './compact'

let defaultHasher: CompactFr64Hasher | undefined
let redactingHashers: WeakMap<Redactor, CompactFr64Hasher> | undefined

/** The fr64 hash of a state's JSON projection: 16 lowercase hex characters (docs/FORMAT.md). */
export function stateHash(value: unknown, redactor?: Redactor | null): string {
  let hasher = (defaultHasher ??= new CompactFr64Hasher())
  if (redactor) {
    const hashers = (redactingHashers ??= new WeakMap())
    let h = hashers.get(redactor)
    if (h === undefined) hashers.set(redactor, (h = new CompactFr64Hasher(redactor)))
    hasher = h
  }
  hasher.hash(value)
  return hashHex(hasher.hi, hasher.lo)
}
export { hashHex } from './hashHex'
// (Exported here so that the recorder's writers share fr64's file's copy: dist/fr64.js.)
export { readableCopy } from '../internal/readable'
