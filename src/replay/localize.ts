/**
 * What a diverging step did, found at the step itself: the replayed step's own effect (before →
 * after at the paths it changed) and, from the log's subtree hashes (`changed`), where the
 * recorded and replayed states part after it.
 */
import type { ActionEntry } from '../format/types'
import type { Fr64Hasher } from '../hash'
import { changedPaths, formatPath, parsePath, valueAt, type ChangedPath } from '../hash/subtrees'
import { diffStates, isHistoryContainer, type StateDifference } from './diff'

/** Paths of a step's own effect listed at most. */
export const MAX_EFFECT_PATHS = 20
const MAX_EFFECT_DEPTH = 12

/** One path where the recorded and replayed states differ right after the diverging step. */
export interface StepDifference {
  path: string
  /**
   * The recorded value, when the log tells it: the value before the step, at a path the recorded
   * step did not change; `undefined` with `recordedHash: null` when the recorded step removed it.
   */
  recorded?: unknown
  /** The recorded subtree hash (from the `changed` key); `null` when the path was absent. */
  recordedHash?: string | null
  /** `recorded` is known (not only its hash). */
  recordedKnown: boolean
  replayed: unknown
  /** The replayed step left this path as it was. */
  replayedUnchanged?: boolean
  /** An undo history's `past`/`future`: summarised, after the other differences. */
  history?: boolean
  /** An array element only one side has, as in `StateDifference` (`recorded` holds a removed one). */
  element?: 'inserted' | 'removed'
  /** The same elements in another order from this index on, as in `StateDifference`. */
  reordered?: number
  /** Long strings shortened, as in `StateDifference`. */
  shortened?: StateDifference['shortened']
}

/**
 * The replayed step's own effect, before → after (`recorded` is the before value), as JSON sees
 * it: down to the leaves, inside arrays too (`todos.2.done`), and nothing for a container copied
 * with equal values or a key set to `undefined`. Subtrees the step left alone (same reference)
 * are not visited, so the work follows what the step changed. At most `limit` paths.
 */
export function stepEffect(before: unknown, after: unknown, limit = MAX_EFFECT_PATHS): StateDifference[] {
  try {
    return diffStates(before, after, limit)
  } catch {
    // Nested deeper than the stack allows.
    return []
  }
}

/**
 * The recorded-vs-replayed differences after the step, from the entry's subtree hashes; `null`
 * when the entry has none. `hasher` has just hashed `after` (its records make this cheap).
 */
export function localize(entry: ActionEntry, before: unknown, after: unknown, hasher: Fr64Hasher | undefined): StepDifference[] | null {
  const changed = entry.changed
  if (hasher === undefined || typeof changed !== 'object' || changed === null || Array.isArray(changed)) return null
  const recorded: string[][] = []
  const out: StepDifference[] = []
  for (const path of Object.keys(changed)) {
    const keys = parsePath(path)
    const hash = changed[path]
    if (keys === null || (hash !== null && typeof hash !== 'string')) continue
    recorded.push(keys)
    const value = valueAt(after, keys)
    let replayedHash: string | null = null
    try {
      replayedHash = value === undefined ? null : hasher.hashAt(value, keys)
    } catch {
      continue
    }
    if (replayedHash === hash) continue
    const unchanged = valueAt(before, keys) === value
    const guess = hash === null ? NO_GUESS : guessPrimitive(value, keys, hash, hasher)
    out.push({
      path,
      recordedHash: hash,
      recordedKnown: hash === null || guess !== NO_GUESS,
      ...(guess !== NO_GUESS ? { recorded: guess } : {}),
      replayed: value,
      ...(unchanged ? { replayedUnchanged: true } : {}),
      ...(isHistoryPath(keys, after) ? { history: true } : {}),
    })
  }
  // Paths the replayed step changed where the recorded one did not: there the recorded value is
  // the value before the step.
  let effect: ChangedPath[]
  try {
    effect = changedPaths(after, before, MAX_EFFECT_PATHS, MAX_EFFECT_DEPTH)
  } catch {
    effect = []
  }
  const beside = (keys: string[], value: unknown): void => {
    out.push({ path: formatPath(keys), recorded: valueAt(before, keys), recordedKnown: true, replayed: value, ...(isHistoryPath(keys, after) ? { history: true } : {}) })
  }
  for (const { keys, value } of effect) {
    if (recorded.some((r) => isPrefix(r, keys))) continue
    // A container the recorded step changed inside (listed whole when the replayed step changed
    // more paths than the budget): its other changed keys are changes the recorded step did not make.
    if (recorded.some((r) => isPrefix(keys, r))) effectBeside(value, valueAt(before, keys), keys, recorded, beside, MAX_EFFECT_PATHS)
    else beside(keys, value)
  }
  return [...out.filter((x) => !x.history), ...out.filter((x) => x.history)]
}

/**
 * The paths the replayed step changed under `keys` (a container holding recorded paths) outside the
 * recorded paths, at most `limit`: a key on the way to a recorded path is walked into, any other
 * changed key is listed down to its changed leaves.
 */
function effectBeside(n: unknown, p: unknown, keys: string[], recorded: string[][], push: (keys: string[], value: unknown) => void, limit: number): number {
  if (typeof n !== 'object' || n === null || typeof p !== 'object' || p === null || Array.isArray(n) !== Array.isArray(p)) return 0
  const a = n as Record<string, unknown>
  const b = p as Record<string, unknown>
  const has = Object.prototype.hasOwnProperty
  let listed = 0
  const names = Object.keys(a)
  for (const k of Object.keys(b)) if (!has.call(a, k)) names.push(k)
  for (const k of names) {
    if (listed >= limit) break
    const value = has.call(a, k) ? a[k] : undefined
    const old = has.call(b, k) ? b[k] : undefined
    if (value === old && has.call(a, k) === has.call(b, k)) continue
    const child = [...keys, k]
    if (recorded.some((r) => isPrefix(r, child))) continue
    if (recorded.some((r) => isPrefix(child, r))) {
      listed += effectBeside(value, old, child, recorded, push, limit - listed)
      continue
    }
    let inner: ChangedPath[]
    try {
      inner = value === undefined || old === undefined ? [] : changedPaths(value, old, limit - listed, MAX_EFFECT_DEPTH)
    } catch {
      inner = []
    }
    if (inner.length === 0) inner = [{ keys: [], value }]
    for (const c of inner) {
      push([...child, ...c.keys], c.value)
      listed++
    }
  }
  return listed
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  if (a.length > b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * An undo history's `past`/`future` (redux-undo: `{ past: [], present, future: [] }`): whole
 * states, summarised in reports rather than printed ahead of the real change.
 */
export function isHistoryPath(keys: readonly string[], state: unknown): boolean {
  const last = keys[keys.length - 1]
  if (last !== 'past' && last !== 'future') return false
  return isHistoryContainer(valueAt(state, keys.slice(0, -1)))
}

const NO_GUESS = Symbol('no guess')

/**
 * The recorded value of a primitive leaf, when a neighbour of the replayed one hashes as recorded
 * (the other boolean, a number one off): checked against the hash, never assumed.
 */
function guessPrimitive(value: unknown, keys: readonly string[], hash: string, hasher: Fr64Hasher): unknown {
  const candidates = typeof value === 'boolean' ? [!value] : typeof value === 'number' ? [value + 1, value - 1] : []
  for (const c of candidates) {
    try {
      if (hasher.hashAt(c, keys) === hash) return c
    } catch {
      return NO_GUESS
    }
  }
  return NO_GUESS
}
