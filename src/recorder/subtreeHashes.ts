import { ChangedColumn, changedField } from '../hash/subtrees'
import type { SubtreeHashes } from './types'

/**
 * The `changed` key on action entries (docs/FORMAT.md, "Subtree hashes"): with `hash: 'fr64'`,
 * each action entry carries the fr64 hashes of the subtrees it changed, so a divergence report
 * names the slice, entity or field where replay went another way, without a full state. Opt-in
 * by import, so apps that do not use it do not ship it.
 *
 * @example
 * import { createFlightRecorder, subtreeHashes } from 'redux-flight-recorder'
 * const recorder = createFlightRecorder({ subtreeHashes: subtreeHashes() })
 */
export function subtreeHashes(): SubtreeHashes {
  return { column: () => new ChangedColumn(), field: changedField } as SubtreeHashes
}
