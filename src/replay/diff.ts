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
  /**
   * An array element only one side has, the others kept in order: `'inserted'` (only in the
   * replayed state; `path` holds its replayed index) or `'removed'` (only in the recorded one; its
   * recorded index). One entry, not every later index.
   */
  element?: 'inserted' | 'removed'
  /**
   * Past the bounded alignment: from this index on, both arrays hold the same `reordered` elements
   * (equal as JSON) in another order. One entry (the first index where they differ), not one per index.
   */
  reordered?: number
  /**
   * Strings over 1,000 characters in `recorded`/`replayed` were shortened so that a report stays
   * small. Two such strings: both hold the 200 characters from `from` (50 before `at`, where they
   * first differ), and the lengths are the whole strings'. Any other such string keeps its first
   * 200 characters, followed by `…(N more characters)` (with its length here when it is the value).
   */
  shortened?: { from?: number; at?: number; recordedLength?: number; replayedLength?: number }
}

import { joinKey } from '../hash/subtrees'

/** Differences listed at most, by default. */
export const MAX_DIFFERENCES = 50
/**
 * Array middles (after the common start and end) aligned by LCS up to this many cells; beyond, by
 * keys when none repeats on either side (ids; or JSON texts), else index by index.
 */
const MAX_LCS_CELLS = 40_000

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
 * recorded value first. Objects are compared key by key (order does not matter); in arrays the
 * common start and end are set aside and the rest aligned (elements with the same `id` as one, by
 * a bounded longest common subsequence, or in large arrays by ids that do not repeat), so one
 * element inserted or removed is one difference (`element`), not every later index. Values
 * compare as JSON writes them (a `Date` as its ISO string, `NaN` as `null`, functions left out),
 * so live states compare as the log holds them; a difference keeps the values themselves.
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

/**
 * A value as JSON (and fr64) sees it, one level deep: what `toJSON` returns (a `Date`: its ISO
 * string), `null` for `NaN` and `±Infinity`, `undefined` for what JSON leaves out. Live states (a
 * step's before and after) hold such values; the log holds their JSON form.
 */
function asJson(v: unknown): unknown {
  const t = typeof v
  if (t === 'number') return Number.isFinite(v) ? v : null
  if (t === 'object') {
    if (v === null) return v
    try {
      const toJSON = (v as { toJSON?: unknown }).toJSON
      return typeof toJSON === 'function' ? toJSON.call(v) : v
    } catch {
      return v
    }
  }
  if (t === 'bigint') {
    // The BigInt rule (docs/FORMAT.md): what `BigInt.prototype.toJSON` returns, if set; else left out.
    const toJSON = (BigInt.prototype as { toJSON?: unknown }).toJSON
    if (typeof toJSON !== 'function') return undefined
    try {
      const projected: unknown = toJSON.call(v, '')
      return typeof projected === 'bigint' ? undefined : projected
    } catch {
      return undefined
    }
  }
  return t === 'function' || t === 'symbol' ? undefined : v
}

function walk(a: unknown, b: unknown, path: string, out: StateDifference[], limit: number): void {
  if (out.length >= limit) return
  if (a === b) return
  const x0 = asJson(a)
  const y0 = asJson(b)
  const ka = kindOf(x0)
  const kb = kindOf(y0)
  if (ka !== kb || (ka !== 'object' && ka !== 'array')) {
    // Equal as JSON (a Date and its ISO string, NaN and null): no difference. Listed, the values
    // stay as they are, so a report can say what they are (NaN, a BigInt).
    if (x0 !== y0) out.push({ path: path || '<root>', recorded: a, replayed: b })
    return
  }
  if (ka === 'array') {
    walkArray(x0 as unknown[], y0 as unknown[], path, out, limit)
    return
  }
  const x = x0 as Record<string, unknown>
  const y = y0 as Record<string, unknown>
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
    if (!has.call(x, key) && asJson(y[key]) !== undefined) out.push({ path: joinPath(path, key), recorded: undefined, replayed: y[key] })
  }
}

/** Deep equality as JSON sees it (key order and `undefined` keys aside; `NaN` equals `NaN`). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  a = asJson(a)
  b = asJson(b)
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => same(v, (b as unknown[])[i]))
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  const has = Object.prototype.hasOwnProperty
  for (const k of Object.keys(x)) if (!same(x[k], has.call(y, k) ? y[k] : undefined)) return false
  for (const k of Object.keys(y)) if (!has.call(x, k) && asJson(y[k]) !== undefined) return false
  return true
}

/** An element's `id` (a string or number), or undefined. */
function idOf(v: unknown): unknown {
  const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined
  return typeof id === 'string' || typeof id === 'number' ? id : undefined
}

/** Short arrays of primitives (tags, a few ids) whose differences are told as one, whole array to whole array. */
const SHORT_ARRAY = 8
const isShortPrimitives = (a: unknown[]): boolean => a.length <= SHORT_ARRAY && a.every((v) => v === null || typeof v !== 'object')

function walkArray(x: unknown[], y: unknown[], path: string, out: StateDifference[], limit: number): void {
  if (isShortPrimitives(x) && isShortPrimitives(y)) {
    // `["work","urgent","money"] → ["money","urgent","work"]` reads better than four elements
    // removed and inserted; a difference or two in a longer array stay at their places.
    const own: StateDifference[] = []
    alignArrays(x, y, path, own, SHORT_ARRAY * 2)
    if (own.length > 1 && own.length * 2 > Math.max(x.length, y.length)) {
      if (out.length < limit) out.push({ path, recorded: x, replayed: y })
    } else for (const d of own) if (out.length < limit) out.push(d)
    return
  }
  alignArrays(x, y, path, out, limit)
}

function alignArrays(x: unknown[], y: unknown[], path: string, out: StateDifference[], limit: number): void {
  let p = 0
  let s = 0
  while (p < x.length && p < y.length && same(x[p], y[p])) p++
  while (s < x.length - p && s < y.length - p && same(x[x.length - 1 - s], y[y.length - 1 - s])) s++
  const n = x.length - p - s
  const m = y.length - p - s
  // In order: (i, j) matched or changed in place, (i, -1) removed, (-1, j) inserted.
  const push = (i: number, j: number): void => {
    if (out.length >= limit) return
    if (i < 0) out.push({ path: joinPath(path, p + j), recorded: undefined, replayed: y[p + j], element: 'inserted' })
    else if (j < 0) out.push({ path: joinPath(path, p + i), recorded: x[p + i], replayed: undefined, element: 'removed' })
    else if (!same(x[p + i], y[p + j])) walk(x[p + i], y[p + j], joinPath(path, p + j), out, limit)
  }
  // An element's identity for aligning: its `id`, else its JSON text.
  let unique = 0
  const key = (v: unknown): string => {
    const id = idOf(v)
    if (id !== undefined) return `\u0001${typeof id}:${id}`
    try {
      return JSON.stringify(v) ?? String(v)
    } catch {
      return `\u0000${unique++}`
    }
  }
  const xs = x.slice(p, p + n)
  const ys = y.slice(p, p + m)
  // Pairs of elements taken as the same, in order: by the LCS table when it is small enough,
  // beyond it by keys that do not repeat on either side (ids, as entity lists have), else none
  // (index by index).
  let pairs: [number, number][] | null = []
  if (n > 0 && m > 0) {
    const kx = xs.map(key)
    const ky = ys.map(key)
    pairs = n * m <= MAX_LCS_CELLS ? lcsPairs(kx, ky) : uniqueAlignment(kx, ky)
    // Too large for the table and the same elements mostly out of order (sorted the other way): one difference.
    if (n * m > MAX_LCS_CELLS && (pairs === null || pairs.length * 2 < n) && n === m && n > 1 && sameElements(xs, ys)) {
      if (out.length < limit) out.push({ path: joinPath(path, p), recorded: x[p], replayed: y[p], reordered: n })
      return
    }
  }
  // Between two pairs, elements changed in place, then those only one side has.
  let i = 0
  let j = 0
  const gap = (i2: number, j2: number): void => {
    for (; i < i2 || j < j2; i++, j++) push(i < i2 ? i : -1, j < j2 ? j : -1)
  }
  for (const [i2, j2] of pairs ?? []) {
    gap(i2, j2)
    push(i2, j2)
    i = i2 + 1
    j = j2 + 1
  }
  gap(n, m)
}

/**
 * A longest common subsequence of two key lists (objects with the same `id` count as the same
 * element, compared inside), as pairs of indexes in order.
 */
function lcsPairs(kx: string[], ky: string[]): [number, number][] {
  const n = kx.length
  const m = ky.length
  const t = new Uint16Array((n + 1) * (m + 1))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) t[i * (m + 1) + j] = kx[i] === ky[j] ? t[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(t[(i + 1) * (m + 1) + j], t[i * (m + 1) + j + 1])
  const pairs: [number, number][] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (kx[i] === ky[j]) {
      pairs.push([i++, j++])
      continue
    }
    // Up to the next match.
    while (i < n && j < m && kx[i] !== ky[j]) t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1] ? i++ : j++
  }
  return pairs
}

/**
 * The elements two arrays have in common, in the same order on both sides (a longest increasing
 * run of their positions), as pairs of indexes; null when a key repeats on either side.
 */
function uniqueAlignment(kx: string[], ky: string[]): [number, number][] | null {
  const at = new Map<string, number>()
  for (let j = 0; j < ky.length; j++) {
    if (at.has(ky[j])) return null
    at.set(ky[j], j)
  }
  const seen = new Set<string>()
  const is: number[] = []
  const js: number[] = []
  for (let i = 0; i < kx.length; i++) {
    if (seen.has(kx[i])) return null
    seen.add(kx[i])
    const j = at.get(kx[i])
    if (j !== undefined) is.push(i), js.push(j)
  }
  // Longest increasing subsequence of js (patience sorting): tails[l] ends the best run of length l + 1.
  const tails: number[] = []
  const prev = new Int32Array(js.length)
  for (let k = 0; k < js.length; k++) {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (js[tails[mid]] < js[k]) lo = mid + 1
      else hi = mid
    }
    prev[k] = lo > 0 ? tails[lo - 1] : -1
    tails[lo] = k
  }
  const pairs: [number, number][] = []
  for (let k = tails.length > 0 ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) pairs.push([is[k], js[k]])
  return pairs.reverse()
}

/** Whether two arrays hold the same elements (equal as JSON text), in any order. */
function sameElements(a: unknown[], b: unknown[]): boolean {
  try {
    const text = (v: unknown): string => JSON.stringify(v) ?? 'null'
    const x = a.map(text).sort()
    const y = b.map(text).sort()
    return x.every((t, i) => t === y[i])
  } catch {
    return false
  }
}

/** Where two strings first differ (the shorter one's length when it is the other's start). */
export function firstDifferentChar(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++
  return i
}

/** Strings longer than this are shortened in a report's structured differences. */
const MAX_STRING = 1000

/**
 * `d` with long strings in `recorded`/`replayed` shortened (see `StateDifference.shortened`), or
 * `d` itself when none is long. Copies what it shortens; never changes the states.
 */
export function shortenDifference<T extends { recorded?: unknown; replayed: unknown; shortened?: StateDifference['shortened'] }>(d: T): T {
  const a = d.recorded
  const b = d.replayed
  if (typeof a === 'string' && typeof b === 'string') {
    if (a.length <= MAX_STRING && b.length <= MAX_STRING) return d
    const at = firstDifferentChar(a, b)
    const from = Math.max(0, at - 50)
    return { ...d, recorded: a.slice(from, from + 200), replayed: b.slice(from, from + 200), shortened: { from, at, recordedLength: a.length, replayedLength: b.length } }
  }
  try {
    const recorded = shortenLongStrings(a)
    const replayed = shortenLongStrings(b)
    // Object.is: NaN is left as it is, not taken for a shortened copy.
    if (Object.is(recorded, a) && Object.is(replayed, b)) return d
    return { ...d, recorded, replayed, shortened: { ...(typeof a === 'string' && recorded !== a ? { recordedLength: a.length } : {}), ...(typeof b === 'string' && replayed !== b ? { replayedLength: b.length } : {}) } }
  } catch {
    return d
  }
}

/**
 * `value` with every string over 1,000 characters in it cut to its first 200, followed by
 * `…(N more characters)`; `value` itself when none is that long. Copies only what it shortens.
 */
export function shortenLongStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length <= MAX_STRING ? value : `${value.slice(0, 200)}…(${value.length - 200} more characters)`
  if (typeof value !== 'object' || value === null || depth > 100) return value
  let copy: Record<string, unknown> | unknown[] | undefined
  const o = value as Record<string, unknown>
  for (const k of Object.keys(o)) {
    const s = shortenLongStrings(o[k], depth + 1)
    if (s !== o[k]) (copy ??= Array.isArray(o) ? [...o] : { ...o })[k as never] = s as never
  }
  return copy ?? value
}
