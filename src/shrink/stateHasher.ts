import type { RecordingHeader } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { Fr64Hasher } from '../hash'
import { hashHex } from '../hash/hashHex'
import { logRedactor, type Redactor } from '../redact'
import type { ReplayOptions } from '../replay/types'
import { stringifyState } from '../serialize'

/** Hashes states as replay would for this header (fr64, or the custom `hash`), incrementally. */
export function stateHasher(
  header: RecordingHeader,
  options: Pick<ReplayOptions, 'hash' | 'serializeState'>,
  purpose = 'so that `baseline` can recompute the hashes of the kept steps',
): { alg: string; hash: (state: unknown) => string } {
  const redactor: Redactor | null = logRedactor(header)
  const project = (state: unknown) => (options.serializeState ? options.serializeState(state) : state)
  if (header.hash_alg === 'fr64' || header.hash_alg === 'none') {
    const hasher = new Fr64Hasher(redactor)
    let prev: unknown = undefined
    return {
      alg: 'fr64',
      hash(state) {
        const input = project(state)
        hasher.hash(input, prev)
        prev = input
        return hashHex(hasher.hi, hasher.lo)
      },
    }
  }
  const fn = options.hash
  const name = fn ? fn.algorithm ?? (fn.name || 'custom') : undefined
  if (!fn || name !== header.hash_alg) {
    throw new FlightRecorderError(
      'hash-unavailable',
      `The log was hashed with '${header.hash_alg}'; pass a \`hash\` function named '${header.hash_alg}' ${purpose}.`,
    )
  }
  return { alg: header.hash_alg, hash: (state) => fn(JSON.parse(stringifyState(project(state), redactor))) }
}
