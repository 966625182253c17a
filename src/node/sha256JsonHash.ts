import { createHash } from 'node:crypto'
import type { HashFunction } from 'redux-flight-recorder'

function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(canonical)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(out, key, { value: canonical((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * SHA-256 of the state's canonical JSON (keys sorted), first 16 hex characters. Slower than fr64
 * (it stringifies the whole state each time) but reimplementable anywhere with a JSON library.
 *
 * @example
 * createFlightRecorder({ hash: sha256JsonHash })
 */
// Marked pure: a bundle that does not use it drops it (and node:crypto with it).
export const sha256JsonHash: HashFunction = /* @__PURE__ */ Object.assign(
  function sha256JsonHash(state: unknown): string {
    const json = JSON.stringify(canonical(JSON.parse(JSON.stringify(state) ?? 'null')))
    return createHash('sha256').update(json).digest('hex').slice(0, 16)
  },
  { algorithm: 'sha256-json' },
)
