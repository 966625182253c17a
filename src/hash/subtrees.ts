/**
 * Subtree hashes of what one action changed: the optional `changed` key of action entries
 * (docs/FORMAT.md, "Subtree hashes"). With them, replay names the slice, entity or field where a
 * diverging step went another way than the recording, without a full state.
 */
import type { Fr64Hasher } from './fr64'
import { isPlainProto } from '../internal/plain'

/** Paths listed per entry at most; past that, a container is listed as a whole. */
export const MAX_CHANGED_PATHS = 8
/** Deepest path listed (keys below the root). */
export const MAX_CHANGED_DEPTH = 8

/** One changed subtree: its key path and its value after the action (`undefined` when absent). */
export interface ChangedPath {
  keys: string[]
  value: unknown
}


function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return isPlainProto(proto)
}

/**
 * The deepest paths where `next` differs from `prev` by reference, walking plain objects only
 * (arrays, exotic objects and primitives are listed whole), at most `maxPaths` of them: a
 * container with more changed keys than the budget left is listed itself. A key removed by the
 * action is listed with `value: undefined`. Immutable state (as Redux requires) makes reference
 * equality mean "unchanged". Getters may throw; the caller catches.
 */
export function changedPaths(next: unknown, prev: unknown, maxPaths = MAX_CHANGED_PATHS, maxDepth = MAX_CHANGED_DEPTH): ChangedPath[] {
  const out: ChangedPath[] = []
  if (next !== prev) walk(next, prev, [], out, maxPaths, maxDepth)
  return out
}

function walk(n: unknown, p: unknown, keys: string[], out: ChangedPath[], max: number, maxDepth: number): void {
  if (keys.length >= maxDepth || !isPlainObject(n) || !isPlainObject(p)) {
    out.push({ keys, value: n })
    return
  }
  const changed: string[] = []
  const budget = max - out.length
  let overflow = false
  let shared = 0
  for (const k in n) {
    if (!Object.prototype.hasOwnProperty.call(n, k)) continue
    const had = Object.prototype.hasOwnProperty.call(p, k)
    if (had) shared++
    if (!had || n[k] !== p[k]) {
      if (changed.length >= budget) {
        overflow = true
        break
      }
      changed.push(k)
    }
  }
  if (!overflow && shared !== Object.keys(p).length) {
    for (const k in p) {
      if (!Object.prototype.hasOwnProperty.call(p, k) || Object.prototype.hasOwnProperty.call(n, k)) continue
      if (changed.length >= budget) {
        overflow = true
        break
      }
      changed.push(k)
    }
  }
  if (overflow || changed.length === 0) {
    // Too many changes to list one by one, or a new object equal key by key: the container itself.
    out.push({ keys, value: n })
    return
  }
  // Each changed key gets at least one path; what is left of the budget goes to deeper paths.
  for (let i = 0; i < changed.length; i++) {
    const k = changed[i]
    const reserve = changed.length - i - 1
    const has = Object.prototype.hasOwnProperty.call(n, k)
    const child = has ? n[k] : undefined
    if (!has || !Object.prototype.hasOwnProperty.call(p, k)) out.push({ keys: [...keys, k], value: child })
    else walk(child, p[k], [...keys, k], out, max - reserve, maxDepth)
  }
}

/** Key path in the notation of divergence reports: `cart.entities.b1`, `byUrl["/api/x"]`, `<root>`. */
export function formatPath(keys: readonly string[]): string {
  if (keys.length === 0) return '<root>'
  let path = ''
  for (const key of keys) path = joinKey(path, key)
  return path
}

const SIMPLE_KEY = /^(?:[A-Za-z_$][\w$-]*|\d+)$/

export function joinKey(path: string, key: string | number): string {
  if (typeof key === 'number' || SIMPLE_KEY.test(key)) return path ? `${path}.${key}` : String(key)
  return `${path}[${JSON.stringify(key)}]`
}

/** The keys of a path written by `formatPath`; `null` when the text is not such a path. */
export function parsePath(path: string): string[] | null {
  if (path === '<root>') return []
  const keys: string[] = []
  let i = 0
  while (i < path.length) {
    if (path[i] === '[') {
      // A bracketed key is a JSON string: find its closing quote, skipping escapes.
      let j = i + 2
      if (path[i + 1] !== '"') return null
      while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1
      if (path[j + 1] !== ']') return null
      try {
        keys.push(JSON.parse(path.slice(i + 1, j + 1)) as string)
      } catch {
        return null
      }
      i = j + 2
    } else {
      if (keys.length > 0) {
        if (path[i] !== '.') return null
        i++
      }
      let j = i
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++
      if (j === i) return null
      keys.push(path.slice(i, j))
      i = j
    }
  }
  return keys
}

/** The value at `keys` in a state, or `undefined`; never throws. */
export function valueAt(state: unknown, keys: readonly string[]): unknown {
  let v = state
  for (const k of keys) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, k)) return undefined
    try {
      v = (v as Record<string, unknown>)[k]
    } catch {
      return undefined
    }
  }
  return v
}

/** The fr64 hash of the value at each changed path, `null` where the path is absent after the action. */
export function subtreeHashes(hasher: Pick<Fr64Hasher, 'hashAt'>, paths: readonly ChangedPath[]): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const { keys, value } of paths) {
    const hash = value === undefined ? null : hasher.hashAt(value, keys)
    Object.defineProperty(out, formatPath(keys), { value: hash, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * `,"changed":{…}` for the line of an action whose state `next` followed `prev`, hashed by
 * `hasher` just before (its records make this a lookup per path). `''` when nothing changed, or
 * when the state could not be walked (the entry then simply has no subtree hashes).
 */
export function changedField(hasher: Pick<Fr64Hasher, 'hashAt'>, next: unknown, prev: unknown): string {
  if (prev === undefined || next === prev) return ''
  try {
    const paths = changedPaths(next, prev)
    if (paths.length === 0) return ''
    return ',"changed":' + JSON.stringify(subtreeHashes(hasher, paths))
  } catch {
    return ''
  }
}

/**
 * The `changed` fields of buffered entries, by seq, beside the recorder's entry ring: set when an
 * entry is hashed, read when its line is written, forgotten once the ring no longer holds it.
 */
export class ChangedColumn {
  private readonly fields = new Map<number, string>()

  /** Keeps `field` for `seq`; forgets every seq below `firstSeq` (the oldest entry still held). */
  set(seq: number, firstSeq: number, field: string): void {
    for (const held of this.fields.keys()) {
      if (held >= firstSeq) break
      this.fields.delete(held)
    }
    if (field !== '') this.fields.set(seq, field)
  }

  /** `,"changed":{…}` for `seq`, or `''`. */
  get(seq: number): string {
    return this.fields.get(seq) ?? ''
  }
}
