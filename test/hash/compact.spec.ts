import { vi } from 'vitest'

// The compact engine against fr64's whole specification suite (test/hash.spec.ts: the frozen
// vectors, the reference implementation, JSON projection, sensitivity, incremental edits,
// redaction, errors): the suite runs here with `stateHash` and `Fr64Hasher` taken from
// src/hash/compact.ts. (hashUntil.spec.ts and keySets.spec.ts test the compact engine directly.)
vi.mock('../../src/hash/fr64', async () => {
  const { CompactFr64Hasher } = await import('../../src/hash/compact')
  const { hashHex } = await import('../../src/hash/hashHex')
  const plain = new CompactFr64Hasher()
  const byRedactor = new WeakMap<object, InstanceType<typeof CompactFr64Hasher>>()
  return {
    Fr64Hasher: CompactFr64Hasher,
    stateHash(value: unknown, redactor?: { root: unknown } | null) {
      let h = plain
      if (redactor) {
        h = byRedactor.get(redactor) ?? new CompactFr64Hasher(redactor as never)
        byRedactor.set(redactor, h)
      }
      h.hash(value)
      return h.hex()
    },
  }
})

// Two tests of fr64's kept entry hashes (what a step reads) do not apply to it.
;(globalThis as { __frCompactEngine?: boolean }).__frCompactEngine = true
await import('../hash.spec')
