/** One key path whose recorded and replayed values differ. */
export interface StateDifference {
  /**
   * Key path (`'todos.entities.a1.completed'`, `'items.3'`); keys that are not plain identifiers
   * or indexes are bracketed (`'byUrl["/api/x"]'`). `'<root>'` for the whole state.
   */
  path: string
  /** The recorded value; `undefined` when the key did not exist. */
  recorded: unknown
  /** The replayed value; `undefined` when the key does not exist. */
  replayed: unknown
  /**
   * An undo history's `past` or `future` (redux-undo): whole states, listed once as a summary,
   * after the other differences.
   */
  history?: boolean
}

import { joinKey } from '../hash/subtrees'

/** Differences listed at most, by default. */
export const MAX_DIFFERENCES = 50

/** An undo history (redux-undo's `{ past, present, future }`). */
export function isHistoryContainer(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return Array.isArray(o.past) && Array.isArray(o.future) && Object.prototype.hasOwnProperty.call(o, 'present')
}

/** Appends `key` to a key path, bracketing keys a dot path could not show unambiguously. */
export const joinPath = joinKey

/**
 * Lists the leaf-most key paths where two JSON values differ (at most `limit`, 50 by default),
 * recorded value first. Objects are compared key by key (order does not matter), arrays index by
 * index; `NaN` equals `NaN`.
 *
 * @example
 * diffStates({ a: { b: 1 } }, { a: { b: 2 } }) // [{ path: 'a.b', recorded: 1, replayed: 2 }]
 */
export function diffStates(recorded: unknown, replayed: unknown, limit = MAX_DIFFERENCES): StateDifference[] {
  const out: StateDifference[] = []
  walk(recorded, replayed, '', out, limit)
  return out
}

function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

function walk(a: unknown, b: unknown, path: string, out: StateDifference[], limit: number): void {
  if (out.length >= limit) return
  if (a === b) return
  const ka = kindOf(a)
  const kb = kindOf(b)
  if (ka !== kb || (ka !== 'object' && ka !== 'array')) {
    if (ka === 'number' && kb === 'number' && Number.isNaN(a) && Number.isNaN(b)) return
    out.push({ path: path || '<root>', recorded: a, replayed: b })
    return
  }
  if (ka === 'array') {
    const x = a as unknown[]
    const y = b as unknown[]
    const n = Math.max(x.length, y.length)
    for (let i = 0; i < n && out.length < limit; i++) walk(x[i], y[i], joinPath(path, i), out, limit)
    return
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  const has = Object.prototype.hasOwnProperty
  if (isHistoryContainer(x) && isHistoryContainer(y)) {
    // The present first; past and future hold whole earlier states: one summary line each.
    walk(x.present, y.present, joinPath(path, 'present'), out, limit)
    for (const key of Object.keys(x)) {
      if (out.length >= limit) return
      if (key === 'present') continue
      if (key === 'past' || key === 'future') {
        const scratch: StateDifference[] = []
        walk(x[key], y[key], '', scratch, 1)
        if (scratch.length > 0) out.push({ path: joinPath(path, key), recorded: x[key], replayed: y[key], history: true })
      } else walk(x[key], has.call(y, key) ? y[key] : undefined, joinPath(path, key), out, limit)
    }
  } else for (const key of Object.keys(x)) {
    if (out.length >= limit) return
    walk(x[key], has.call(y, key) ? y[key] : undefined, joinPath(path, key), out, limit)
  }
  for (const key of Object.keys(y)) {
    if (out.length >= limit) return
    // A key whose value is `undefined` is not in the JSON: no difference.
    if (!has.call(x, key) && y[key] !== undefined) out.push({ path: joinPath(path, key), recorded: undefined, replayed: y[key] })
  }
}
