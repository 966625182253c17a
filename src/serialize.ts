import type { LossyValue, Omission } from './format/types'
import { isBoxed } from './internal/boxed'
import { errorText } from './internal/errorText'
import { isPlainProto } from './internal/plain'
import { readableCopy } from './hash'
import { findLossy, isIgnored, lossyField, warnLossy, type LossyOptions } from './lossy'
import { applyRedaction, type Redactor } from './redact'

const MAX_DEPTH = 512

/** Paths that Redux Toolkit's serializability check ignores and no reducer needs. */
const SILENT_LIST = ['meta.baseQueryMeta']
const SILENT_PATHS = new Set(SILENT_LIST)

export interface Projection {
  /** JSON text of the projected value. */
  json: string
  /** What was left out, or `null` when the projection is faithful. */
  omitted: Omission[] | null
  /** What is written in another form (a Date as its ISO string, …), or `null`. */
  lossy?: LossyValue[] | null
}

const THREW = Symbol('threw')

function isDomNode(value: object): boolean {
  const v = value as { nodeType?: unknown; nodeName?: unknown }
  return typeof v.nodeType === 'number' && typeof v.nodeName === 'string'
}

/**
 * The JSON projection of an action: plain objects, arrays and primitives are kept; values JSON
 * cannot carry faithfully are left out and listed with their key paths. Never throws.
 */
export function projectAction(action: unknown, redactor: Redactor | null, lossyOptions?: LossyOptions): Projection {
  let value = action
  let copies: Map<object, unknown> | undefined
  if (redactor !== null) {
    try {
      value = applyRedaction(action, redactor, undefined, (copies = new Map()))
    } catch (error) {
      // What could not be redacted is not written (a secret may be in it): the type alone.
      const type = typeName(action)
      return { json: JSON.stringify({ type }), omitted: [{ path: '<root>', kind: 'unredactable', detail: errorText(error) }] }
    }
    if (copies.size === 0) copies = undefined
  }
  // Most actions are plain JSON: check that without building key paths, then stringify.
  let faithful = false
  try {
    faithful = isFaithful(value, 0, '')
  } catch {
    // a throwing getter or a revoked proxy: the walk below reports it
  }
  if (faithful) {
    try {
      return { json: JSON.stringify(value) ?? 'null', omitted: null }
    } catch {
      // fall through to the walk
    }
  }
  const omitted: Omission[] = []
  const ancestors: object[] = []
  redactedFrom = copies
  let clean: unknown
  try {
    clean = walk(value, '', 0, ancestors, omitted, true)
  } finally {
    redactedFrom = undefined
  }
  let lossy = findLossy(value, lossyOptions?.ignoredActionPaths ? [...SILENT_LIST, ...lossyOptions.ignoredActionPaths] : SILENT_LIST)
  if (lossy !== null && omitted.length > 0) {
    // What was left out is listed once, in `omitted`.
    const left = new Set(omitted.map((o) => o.path))
    lossy = lossy.filter((l) => !left.has(l.path))
    if (lossy.length === 0) lossy = null
  }
  if (lossy !== null && process.env.NODE_ENV !== 'production' && lossyOptions?.warn !== false) warnLossy(lossy, 'action', `In action '${typeName(value)}'`)
  if (omitted.length === 0 && clean === value) {
    try {
      return lossy === null ? { json: JSON.stringify(value), omitted: null } : { json: JSON.stringify(value), omitted: null, lossy }
    } catch {
      // toJSON threw, fall through to the cleaned copy
    }
  }
  let json: string
  try {
    json = JSON.stringify(clean === undefined ? null : clean)
  } catch (error) {
    omitted.push({ path: '<root>', kind: 'getter-threw', detail: (error as Error)?.message })
    json = 'null'
  }
  const out: Projection = { json, omitted: omitted.length > 0 ? omitted : null }
  if (lossy !== null) out.lossy = lossy
  return out
}

function typeName(action: unknown): string {
  try {
    return String((action as { type?: unknown }).type)
  } catch {
    return 'unknown'
  }
}

const FAST_DEPTH = 64
/** Root keys whose value is left out silently, and second-level keys by their parent key (built on first use). */
let SILENT_ROOT: Set<string> | undefined
let SILENT_CHILD: Map<string, Set<string>>

function silentTables(): void {
  SILENT_ROOT = new Set()
  SILENT_CHILD = new Map()
  for (const path of SILENT_PATHS) {
    SILENT_ROOT.add(path)
    for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
      const parent = path.slice(0, i)
      let children = SILENT_CHILD.get(parent)
      if (!children) SILENT_CHILD.set(parent, (children = new Set()))
      children.add(path.slice(i + 1))
    }
  }
}

/**
 * True when `walk` would keep `value` as it is and report nothing: plain objects, arrays and
 * primitives JSON carries, no silent path, not deeper than FAST_DEPTH (so no cycle). May throw
 * (getters, revoked proxies); the caller then takes the walk. A plain object's keys are visited
 * with `for…in`, which allocates no key array: it visits its own enumerable keys and, only if
 * someone made a key of `Object.prototype` enumerable, that key too — which can only make the
 * answer `false` (the walk then decides, as before), never `true` where `Object.keys` would not.
 */
function isFaithful(value: unknown, depth: number, parentKey: string): boolean {
  if (SILENT_ROOT === undefined) silentTables()
  return isFaithfulChild(value, depth - 1, parentKey)
}

function isFaithfulObject(obj: object, depth: number, parentKey: string): boolean {
  if (depth > FAST_DEPTH) return false
  const silent = depth === 0 ? SILENT_ROOT : depth === 1 ? SILENT_CHILD.get(parentKey) : undefined
  if (Array.isArray(obj)) {
    const keys = Object.keys(obj)
    // A hole is written as null: not faithful.
    if (keys.length !== obj.length) return false
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      if (silent !== undefined && silent.has(key)) return false
      const el = (obj as unknown as Record<string, unknown>)[key]
      if (el === undefined || !isFaithfulChild(el, depth, key)) return false
    }
    return true
  }
  const proto = Object.getPrototypeOf(obj)
  if (!isPlainProto(proto)) return false
  let count = 0
  for (const key in obj) {
    if (silent !== undefined && silent.has(key)) return false
    if (!isFaithfulChild((obj as Record<string, unknown>)[key], depth, key)) return false
    count++
  }
  // A symbol key or a key that is not enumerable: JSON leaves it out (the walk lists it).
  // (Two checks: listing the names alone is cheap for an ordinary object, listing every key is not.)
  return (Object.getOwnPropertyNames(obj).length === count && Object.getOwnPropertySymbols(obj).length === 0) || hiddenKeys(obj).next().done === true
}

/**
 * redux-saga marks every action its `put` dispatches with this property (not enumerable, `true`),
 * for its own channel; no reducer reads it. Listed as left out, it made every saga action
 * `recordable: false`, with a warning per action type the app could do nothing about.
 */
const SAGA_ACTION = '@@redux-saga/SAGA_ACTION'

/**
 * A plain object's properties JSON leaves out that hold something: keyed by a symbol, or not
 * enumerable (its own `toJSON` aside: JSON writes with it; and redux-saga's mark). One that holds
 * `undefined` is no loss, as with any key (Redux Toolkit Query's `meta.arg` carries a symbol key
 * that is mostly `undefined`); one whose getter throws is.
 */
function* hiddenKeys(obj: object): Generator<string | symbol> {
  for (const k of Reflect.ownKeys(obj)) {
    if (typeof k === 'string' && (k === 'toJSON' || k === SAGA_ACTION || Object.prototype.propertyIsEnumerable.call(obj, k))) continue
    let held: unknown
    try {
      held = (obj as Record<string | symbol, unknown>)[k]
    } catch {
      held = null
    }
    if (held !== undefined) yield k
  }
}

function isFaithfulChild(value: unknown, depth: number, key: string): boolean {
  switch (typeof value) {
    case 'number':
      return value - value === 0
    case 'string':
    case 'boolean':
    case 'undefined':
      return true
    case 'object':
      return value === null || isFaithfulObject(value, depth + 1, key)
    default:
      return false
  }
}

/**
 * Returns `value` itself when it is already JSON-faithful, otherwise a cleaned copy. `undefined`
 * means "leave this key out" (JSON drops it from objects, writes null in arrays).
 */
function walk(value: unknown, path: string, depth: number, ancestors: object[], omitted: Omission[], root: boolean, projected = false): unknown {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return value
    case 'function':
      omitted.push({ path: path || '<root>', kind: 'function' })
      return undefined
    case 'symbol':
      omitted.push({ path: path || '<root>', kind: 'symbol' })
      return undefined
    case 'bigint': {
      // The BigInt rule (docs/FORMAT.md): written as what BigInt.prototype.toJSON returns, if
      // there is one; otherwise left out.
      const toJSON = (BigInt.prototype as { toJSON?: unknown }).toJSON
      if (typeof toJSON === 'function') {
        try {
          const projected = (toJSON as (k: string) => unknown).call(value, path.slice(path.lastIndexOf('.') + 1))
          if (typeof projected !== 'bigint') return walk(projected, path, depth + 1, ancestors, omitted, root)
        } catch {
          // fall through: left out
        }
      }
      omitted.push({ path: path || '<root>', kind: 'bigint' })
      return undefined
    }
  }
  if (value === null) return null
  const obj = value as object
  const at = path || '<root>'
  if (depth > MAX_DEPTH) {
    omitted.push({ path: at, kind: 'too-deep' })
    return undefined
  }
  let isArray: boolean
  let proto: object | null
  try {
    isArray = Array.isArray(obj)
    proto = Object.getPrototypeOf(obj)
  } catch {
    omitted.push({ path: at, kind: 'revoked-proxy' })
    return undefined
  }
  // A value with a toJSON method (a plain object's own too) is written as what it returns, as
  // JSON.stringify and fr64 do in state; not what that returned (`projected`): JSON calls it once.
  let toJSON: unknown
  try {
    toJSON = (obj as { toJSON?: unknown }).toJSON
  } catch {
    omitted.push({ path: at, kind: 'getter-threw' })
    return undefined
  }
  if (typeof toJSON === 'function') {
    if (projected) {
      // What a toJSON returned is written as its own fields, less a toJSON of its own: a copy, so
      // the JSON.stringify that writes it does not call that toJSON either.
      let fields: Record<string, unknown>
      try {
        fields = {}
        for (const k of Object.keys(obj)) if (k !== 'toJSON') setData(fields, k, (obj as Record<string, unknown>)[k])
      } catch {
        omitted.push({ path: at, kind: 'getter-threw' })
        return undefined
      }
      return walkFields(fields, false, path, depth, ancestors, omitted, root)
    }
    try {
      const key = path.slice(path.lastIndexOf('.') + 1)
      return walk((toJSON as (k: string) => unknown).call(obj, key), path, depth + 1, ancestors, omitted, root, true)
    } catch {
      omitted.push({ path: at, kind: 'getter-threw' })
      return undefined
    }
  }
  if (!isArray && !isPlainProto(proto)) {
    if (obj instanceof Map) omitted.push({ path: at, kind: 'map' })
    else if (obj instanceof Set) omitted.push({ path: at, kind: 'set' })
    else if (isDomNode(obj)) omitted.push({ path: at, kind: 'dom-node' })
    else if (typeof BigInt === 'function' && obj instanceof BigInt) omitted.push({ path: at, kind: 'bigint' })
    else if (isBoxed(obj)) return obj.valueOf()
    // The class-instance rule (docs/FORMAT.md), the same in state and actions: a class instance
    // without `toJSON` is written as its own enumerable fields (as JSON.stringify and fr64 do),
    // and listed in `lossy`.
    else return walkFields(obj, isArray, path, depth, ancestors, omitted, root)
    return undefined
  }
  return walkFields(obj, isArray, path, depth, ancestors, omitted, root)
}

/** While `projectAction` walks a redacted action: each original that redaction copied → its copy. */
let redactedFrom: Map<object, unknown> | undefined

function walkFields(obj: object, isArray: boolean, path: string, depth: number, ancestors: object[], omitted: Omission[], root: boolean): unknown {
  const at = path || '<root>'
  // Through the original of a redacted copy it is inside, a cycle is a cycle too (and the original holds the secret).
  if (ancestors.includes(obj) || (redactedFrom !== undefined && ancestors.includes(redactedFrom.get(obj) as object))) {
    omitted.push({ path: at, kind: 'circular' })
    return undefined
  }
  let keys: string[]
  try {
    keys = Object.keys(obj)
  } catch {
    omitted.push({ path: at, kind: 'revoked-proxy' })
    return undefined
  }
  ancestors.push(obj)
  let copy: unknown[] | Record<string, unknown> | undefined
  const prefix = path ? path + '.' : ''
  // JSON leaves out a plain object's symbol keys and keys that are not enumerable: listed, as
  // nothing an action loses is silent (a class instance is listed as one in \`lossy\`).
  if (!isArray && isPlainProto(Object.getPrototypeOf(obj)) && Reflect.ownKeys(obj).length !== keys.length) {
    for (const k of hiddenKeys(obj)) {
      omitted.push(typeof k === 'symbol' ? { path: `${prefix}[${String(k)}]`, kind: 'symbol-key' } : { path: prefix + k, kind: 'non-enumerable' })
    }
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    const childPath = prefix + key
    if ((root || depth === 1) && SILENT_PATHS.has(childPath)) {
      copy ??= shallowCopy(obj, isArray, keys, i)
      continue
    }
    let child: unknown
    let cleaned: unknown
    const level = ancestors.length
    try {
      child = (obj as Record<string, unknown>)[key]
      cleaned = walk(child, childPath, depth + 1, ancestors, omitted, false)
    } catch {
      ancestors.length = level
      omitted.push({ path: childPath, kind: 'getter-threw' })
      child = THREW
      cleaned = undefined
    }
    if (!copy && cleaned === child) continue
    copy ??= shallowCopy(obj, isArray, keys, i)
    if (isArray) (copy as unknown[])[Number(key)] = cleaned === undefined ? null : cleaned
    else if (cleaned !== undefined) setData(copy as Record<string, unknown>, key, cleaned)
  }
  ancestors.pop()
  return copy ?? obj
}

/** Copies the keys before index `upTo` (their values are known to be safe to read). */
function shallowCopy(obj: object, isArray: boolean, keys: string[], upTo: number): unknown[] | Record<string, unknown> {
  if (isArray) {
    const out: unknown[] = new Array((obj as unknown[]).length).fill(null)
    for (let i = 0; i < upTo; i++) out[Number(keys[i])] = (obj as Record<string, unknown>)[keys[i]]
    return out
  }
  const out: Record<string, unknown> = {}
  for (let i = 0; i < upTo; i++) setData(out, keys[i], (obj as Record<string, unknown>)[keys[i]])
  return out
}

/** Assigns as data, so a `"__proto__"` key stays an own property and never touches a prototype. */
function setData(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * JSON text of a state (header, checkpoints, `@@end`): JSON.stringify semantics, with BigInt left
 * out like `undefined` (the same projection fr64 hashes). Throws on circular state.
 */
export function stringifyState(state: unknown, redactor: Redactor | null): string {
  try {
    return stringifyRedacted(applyRedaction(state, redactor))
  } catch (error) {
    // A value no walk can read is left out, as the hash leaves it out (src/internal/readable.ts).
    const { value, leftOut } = readableCopy(state)
    if (leftOut.length === 0) throw error
    return stringifyRedacted(applyRedaction(value, redactor))
  }
}

function stringifyRedacted(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null'
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' || (typeof v === 'object' && v !== null && v instanceof BigInt) ? undefined : v)) ?? 'null'
  }
}

/**
 * What a line with a full state (header, checkpoint, `@@end`, lifecycle) writes after `"state":`:
 * the state's JSON, then `,"lossy":[…]` when values are held in another form (warned once per
 * path and kind in development). When the state cannot be written at all: `null,"unwritable":"…"`
 * — never a bare `null` — and `onUnwritable` is told, so the line's hash can be left out too.
 * `leftOut`, `original`: `state` is `readableCopy(original)`, which left those out.
 */
export function stateText(state: unknown, redactor: Redactor | null, options?: LossyOptions, onUnwritable?: (error: unknown) => void, leftOut?: readonly LossyValue[], original?: unknown): string {
  let value: unknown
  let json: string
  try {
    value = applyRedaction(state, redactor)
    json = stringifyRedacted(value)
  } catch (error) {
    onUnwritable?.(error)
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'the state could not be written'
    return 'null,"unwritable":' + JSON.stringify(reason)
  }
  // A readable copy (`leftOut`) holds its Maps, Sets and class instances as plain objects: they are
  // found in the state it stands for (whose cycles the scan passes over), as redaction leaves it.
  let lossy = findLossy(original !== undefined ? lossyView(original, redactor, value) : value, options?.ignoredPaths)
  // (What `readableCopy` left out of the state this copy stands for, listed first.)
  const left = leftOut?.filter((l) => !isIgnored(l.path, options?.ignoredPaths))
  if (left?.length) lossy = lossy === null ? left : [...left, ...lossy]
  if (lossy !== null && process.env.NODE_ENV !== 'production' && options?.warn !== false) warnLossy(lossy, 'state', 'In the state')
  return json + lossyField(lossy)
}

/**
 * `original` as redaction leaves it, where a state's lossy values are read when it was written or
 * hashed as a readable copy (full states here, fr64's `stateLossy` in the recorder's hash queue);
 * `copy` when it cannot be redacted (nested past redaction's depth, a revoked proxy on a redacted
 * path), or nothing (`undefined`) without one.
 */
export function lossyView(original: unknown, redactor: Redactor | null, copy?: unknown): unknown {
  try {
    return applyRedaction(original, redactor)
  } catch {
    return copy
  }
}

/** `'.' + three digits` without trailing zeros for 1…999 thousandths; `''` for 0 (filled on use). */
const THOUSANDTHS: string[] = ['']
const thousandths = (f: number) => (THOUSANDTHS[f] ??= '.' + String(1000 + f).slice(1).replace(/0+$/, ''))

/** Below this many microseconds (2^32 ms, about 50 days) `timeFields` builds `t` from integers. */
const FAST_T_LIMIT = 2 ** 32 * 1000

let lastIsoMs = NaN
let lastIso = ''
let lastPrefixIsoMs = NaN
let lastPrefixWhole = -1
let lastPrefix = ''

/** ISO text of the whole millisecond of `ms`, kept for the last millisecond asked. */
function isoAt(ms: number): string {
  const whole = Math.floor(ms)
  if (whole !== lastIsoMs) {
    lastIsoMs = whole
    lastIso = new Date(whole).toISOString()
  }
  return lastIso
}

/**
 * `,"ts":"<ISO time of epochMs>","t":<t>` as a line writes them: `ts` to the whole millisecond,
 * `t` rounded to the microsecond with the same text as `String(Math.round(t * 1000) / 1000)`.
 * `t` is built from the integer number of microseconds (whole milliseconds, then a table of
 * fractions) instead of a double-to-shortest conversion: below 2^32 ms the decimal `whole.fff`
 * is the shortest text of the double `us / 1000`, doubles there being far closer together than
 * 0.001. Everything up to the whole milliseconds of `t` is kept between calls (entries come in
 * bursts within one millisecond). Larger or unusual values take the general conversion.
 */
export function timeFields(epochMs: number, t: number): string {
  const us = Math.round(t * 1000)
  if (us >= 0 && us < FAST_T_LIMIT) {
    const whole = Math.floor(us / 1000)
    const frac = us - whole * 1000
    const isoMs = Math.floor(epochMs)
    if (whole !== lastPrefixWhole || isoMs !== lastPrefixIsoMs) {
      lastPrefix = ',"ts":"' + isoAt(epochMs) + '","t":' + whole
      lastPrefixWhole = whole
      lastPrefixIsoMs = isoMs
    }
    return frac === 0 ? lastPrefix : lastPrefix + thousandths(frac)
  }
  return ',"ts":"' + isoAt(epochMs) + '","t":' + us / 1000
}

const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]

/**
 * `,"hash":"<16 hex digits>"` for an fr64 hash (`hi` first, the text `hashHex` gives), followed
 * by `}` when `close`: one flat string built by one call, where concatenating the pieces would
 * leave a tree of strings that every line pays to flatten again when it is joined or written.
 */
export function hashField(hi: number, lo: number, close: boolean): string {
  const c = HEX_CODES
  return close
    ? String.fromCharCode(
        44, 34, 104, 97, 115, 104, 34, 58, 34,
        c[hi >>> 28], c[(hi >>> 24) & 15], c[(hi >>> 20) & 15], c[(hi >>> 16) & 15],
        c[(hi >>> 12) & 15], c[(hi >>> 8) & 15], c[(hi >>> 4) & 15], c[hi & 15],
        c[lo >>> 28], c[(lo >>> 24) & 15], c[(lo >>> 20) & 15], c[(lo >>> 16) & 15],
        c[(lo >>> 12) & 15], c[(lo >>> 8) & 15], c[(lo >>> 4) & 15], c[lo & 15],
        34, 125,
      )
    : String.fromCharCode(
        44, 34, 104, 97, 115, 104, 34, 58, 34,
        c[hi >>> 28], c[(hi >>> 24) & 15], c[(hi >>> 20) & 15], c[(hi >>> 16) & 15],
        c[(hi >>> 12) & 15], c[(hi >>> 8) & 15], c[(hi >>> 4) & 15], c[hi & 15],
        c[lo >>> 28], c[(lo >>> 24) & 15], c[(lo >>> 20) & 15], c[(lo >>> 16) & 15],
        c[(lo >>> 12) & 15], c[(lo >>> 8) & 15], c[(lo >>> 4) & 15], c[lo & 15],
        34,
      )
}

