// redux-undo's link between a history's `present` and `_latestUnfiltered`, restored in a state read
// from a log (used by replay's built-in adapters and by checkInvariants' starting state).
import { sameJson } from '../internal/sameJson'

/** Objects looked into for undo histories at most, and how deep; maps of more keys than this are passed over (entity maps). */
const HISTORY_SEARCH = { visits: 20_000, depth: 12, keys: 256 }

/**
 * redux-undo keeps `_latestUnfiltered` as the very object `present` is (until a filtered action)
 * and reads "the reducer returned that object" as "nothing to add to the history". JSON cannot
 * carry that link, and redux-undo restores it only the first time its reducer meets a history (its
 * closure keeps the state it saw): with a reducer that had run before — the recorded app's, an
 * earlier replay's — every action that left the slice alone added a step to `past`. Returns the
 * state with the link back wherever the two are equal (a copy along the path; nothing else
 * changes, and the hash is the same).
 */
export function relinkUndoHistories(state: unknown): unknown {
  let visits = 0
  const walk = (value: unknown, depth: number): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > HISTORY_SEARCH.depth || ++visits > HISTORY_SEARCH.visits) return value
    const obj = value as Record<string, unknown>
    if (isUndoHistory(obj)) {
      const present = walk(obj.present, depth + 1)
      const latest = obj._latestUnfiltered
      const relink = latest !== obj.present && latest !== null && typeof latest === 'object' && sameJson(latest, obj.present)
      return relink || present !== obj.present ? { ...obj, present, _latestUnfiltered: relink ? present : latest } : obj
    }
    let copy: Record<string, unknown> | undefined
    let keys = 0
    for (const key in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue
      if (++keys > HISTORY_SEARCH.keys) return obj
      const child = obj[key]
      const next = walk(child, depth + 1)
      if (next !== child) (copy ??= { ...obj })[key] = next
    }
    return copy ?? obj
  }
  return walk(state, 0)
}

/** redux-undo's `{ past, present, future, _latestUnfiltered, … }`. */
const isUndoHistory = (o: Record<string, unknown>): boolean =>
  Array.isArray(o.past) && Array.isArray(o.future) && Object.prototype.hasOwnProperty.call(o, 'present') && Object.prototype.hasOwnProperty.call(o, '_latestUnfiltered')
