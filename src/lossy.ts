/**
 * Values the log holds in another form than the app had them (docs/FORMAT.md, "Lossy values"):
 * found in actions and in full states, written as the `lossy` key, warned once per path and kind
 * in development, and described in one wording by replay, the test helpers and the CLI.
 */
import type { LossyValue, Omission } from './format/types'
import { isBoxed } from './internal/boxed'
import { isPlainProto } from './internal/plain'

/** Lossy values listed per line at most. */
export const MAX_LOSSY = 50
const MAX_DEPTH = 512


/** Which paths are not checked (like Redux Toolkit's serializability check `ignoredPaths`). */
export interface LossyOptions {
  /**
   * State paths not reported: key paths (`'ui.lastSeen'`, which covers what is below it; `*` for
   * any one key or index: `'items.*.at'`) or regular expressions.
   */
  ignoredPaths?: (string | RegExp)[]
  /**
   * Action paths not reported (`'payload.at'`, `/^meta\./`): neither listed as lossy nor warned
   * about, nor a value left out of the action there (a function, a Map: still left out, and still
   * in the entry's `omitted`) warned about.
   */
  ignoredActionPaths?: (string | RegExp)[]
  /**
   * Warn in development, once per path and kind: values written in another form (lossy), values
   * left out of an action (omitted), a symbol-keyed property in the state (in neither the log nor
   * the hash).
   * @default true
   */
  warn?: boolean
}

/**
 * Whether a lossy value's path is accepted: a string names that path and everything below it, and
 * `*` stands for any one key or index (`'items.*.at'`, as in `redact`); a RegExp tests the path.
 */
export function isIgnored(path: string, ignored: readonly (string | RegExp)[] | undefined): boolean {
  if (ignored === undefined || ignored.length === 0) return false
  for (const p of ignored) {
    if (typeof p !== 'string' ? p.test(path) : p.includes('*') ? matchesWild(path.split('.'), p.split('.')) : path === p || path.startsWith(p + '.')) return true
  }
  return false
}

function matchesWild(keys: readonly string[], pattern: readonly string[]): boolean {
  if (keys.length < pattern.length) return false
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '*' && pattern[i] !== keys[i]) return false
  return true
}

/** A path with its array indexes as `*`: the form one warning stands for, and the one to accept. */
export const shapePath = (path: string): string => path.replace(/(^|\.)\d+(?=\.|$)/g, '$1*')

/** A lossy value's path as `allowLossy` names it: state paths start with `state.`. */
export const allowLossyPath = (l: { path: string; where: 'action' | 'state' }): string => (l.where === 'state' ? `state.${l.path}` : l.path)

/** Distinct lossy values warned about at most, per page or process; then one warning says so. */
const MAX_WARNINGS = 20

function bigintToJSON(): unknown {
  return typeof BigInt === 'function' ? (BigInt.prototype as { toJSON?: unknown }).toJSON : undefined
}

/**
 * The lossy values of a value about to be written with JSON.stringify (after redaction), by key
 * path; `null` when there are none. Never throws (what cannot be read is the writer's concern).
 */
export function findLossy(value: unknown, ignored?: readonly (string | RegExp)[]): LossyValue[] | null {
  const out: LossyValue[] = []
  const keys: string[] = []
  try {
    scan(value, keys, out, ignored, 0, [])
  } catch {
    // a getter that throws: the writer reports it
  }
  return out.length > 0 ? out : null
}

function pathOf(keys: string[], last?: string): string {
  const all = last === undefined ? keys : [...keys, last]
  return all.length === 0 ? '<root>' : all.join('.')
}

function push(out: LossyValue[], keys: string[], kind: string, detail: string | undefined, ignored: readonly (string | RegExp)[] | undefined, last?: string): void {
  if (out.length >= MAX_LOSSY) return
  const path = pathOf(keys, last)
  if (isIgnored(path, ignored)) return
  out.push(detail === undefined ? { path, kind } : { path, kind, detail })
}

/** `within`: the objects on the path here; one met again is a cycle, which the writers leave out (so does the scan). */
function scan(v: unknown, keys: string[], out: LossyValue[], ignored: readonly (string | RegExp)[] | undefined, depth: number, within: object[]): void {
  if (out.length >= MAX_LOSSY || depth > MAX_DEPTH) return
  switch (typeof v) {
    case 'number':
      if (v - v !== 0) push(out, keys, 'non-finite', String(v), ignored)
      return
    case 'bigint':
      push(out, keys, 'bigint', typeof bigintToJSON() === 'function' ? 'toJSON' : undefined, ignored)
      return
    case 'object':
      break
    default:
      return
  }
  if (v === null || within.includes(v)) return
  within.push(v)
  try {
    scanObject(v as Record<string, unknown>, keys, out, ignored, depth, within)
  } catch {
    // a revoked proxy or a throwing getter: the writer reports it
  } finally {
    within.pop()
  }
}

function scanObject(obj: Record<string, unknown>, keys: string[], out: LossyValue[], ignored: readonly (string | RegExp)[] | undefined, depth: number, within: object[], projected = false): void {
  // Written as what its toJSON returns: what that holds is looked at too, once (JSON does not call
  // toJSON on what toJSON returned). A class's toJSON (dayjs, Luxon, Decimal.js, Immutable.js) is a
  // loss: replay hands the reducer that form, without the class and its methods (`.year()`). A plain
  // object's (or an array's) own toJSON is its author's choice of form, not a loss. A Date is named below.
  const toJSON = projected ? undefined : obj.toJSON
  if (typeof toJSON === 'function' && !(obj instanceof Date) && !(typeof BigInt === 'function' && obj instanceof BigInt)) {
    const proto = Array.isArray(obj) ? null : Object.getPrototypeOf(obj)
    if (proto !== null && !isPlainProto(proto)) push(out, keys, 'to-json', constructorName(proto), ignored)
    const p: unknown = toJSON.call(obj, keys.length > 0 ? keys[keys.length - 1] : '')
    if (typeof p === 'object' && p !== null) scanObject(p as Record<string, unknown>, keys, out, ignored, depth + 1, within, true)
    else scan(p, keys, out, ignored, depth + 1, within)
    return
  }
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      const el = obj[i]
      const t = typeof el
      if (t === 'undefined' || t === 'function' || t === 'symbol') push(out, keys, 'undefined-in-array', t === 'undefined' ? undefined : t, ignored, String(i))
      else if (t === 'object' || t === 'number' || t === 'bigint') {
        keys.push(String(i))
        scan(el, keys, out, ignored, depth + 1, within)
        keys.pop()
      }
    }
    return
  }
  let proto: object | null
  try {
    proto = Object.getPrototypeOf(obj)
  } catch {
    return // a revoked proxy: the writer reports it
  }
  if (proto !== null && !isPlainProto(proto)) {
    if (obj instanceof Date) return push(out, keys, 'date', undefined, ignored)
    if (typeof BigInt === 'function' && obj instanceof BigInt) return push(out, keys, 'bigint', typeof bigintToJSON() === 'function' ? 'toJSON' : undefined, ignored)
    if (isBoxed(obj)) return
    if (obj instanceof Map) return push(out, keys, 'map', undefined, ignored)
    if (obj instanceof Set) return push(out, keys, 'set', undefined, ignored)
    if (ArrayBuffer.isView(obj)) return push(out, keys, 'typed-array', constructorName(proto), ignored)
    push(out, keys, 'class-instance', constructorName(proto), ignored)
    // Its own fields are written: look inside them too.
  }
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) continue
    let child: unknown
    try {
      child = obj[k]
    } catch {
      continue // a getter that throws: the writer reports it
    }
    const t = typeof child
    if (t === 'function' || t === 'symbol') push(out, keys, t, undefined, ignored, k)
    else if (t === 'object' || t === 'number' || t === 'bigint') {
      keys.push(k)
      scan(child, keys, out, ignored, depth + 1, within)
      keys.pop()
    }
  }
}

function constructorName(proto: object): string | undefined {
  try {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name
    return typeof name === 'string' && name !== '' ? name : undefined
  } catch {
    return undefined
  }
}

/**
 * The lossy values fr64 noted at key path `path` of `state` (`Fr64Hasher`'s `lossyPaths`), with
 * paths from the state's root; none for a key whose value is `undefined` (JSON leaves it out, as if
 * it were never there) or a value that cannot be read (a getter that throws: the writer reports it).
 */
export function lossyAtPath(state: unknown, path: readonly (string | number)[]): LossyValue[] {
  let value = state
  try {
    for (const k of path) value = (value as Record<string | number, unknown>)[k]
  } catch {
    return []
  }
  const prefix = path.join('.')
  // What JSON leaves out is found by looking at its container: named here.
  const t = typeof value
  const inArray = typeof path[path.length - 1] === 'number'
  if (t === 'undefined' && !inArray) return []
  const found: LossyValue[] | null =
    t === 'undefined' || t === 'function' || t === 'symbol'
      ? [inArray ? (t === 'undefined' ? { path: '<root>', kind: 'undefined-in-array' } : { path: '<root>', kind: 'undefined-in-array', detail: t }) : { path: '<root>', kind: t }]
      : findLossy(value)
  return (found ?? []).map((l) => ({ ...l, path: l.path === '<root>' ? prefix || '<root>' : prefix ? `${prefix}.${l.path}` : l.path }))
}

const instance = (name: string | undefined): string => (name ? `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name} instance` : 'a class instance')

/**
 * One sentence per lossy value, the same wording everywhere: `where` is `'action'` (paths inside
 * the action) or `'state'` (paths inside the state, shown as `state.…`).
 */
export function describeLossy(l: LossyValue, where: 'action' | 'state'): string {
  const p = where === 'state' ? (l.path === '<root>' ? 'state' : `state.${l.path}`) : l.path
  switch (l.kind) {
    case 'date':
      return `${p} was a Date, logged as its ISO string`
    case 'map':
      return `${p} is a Map: its contents are not in the log or the hash`
    case 'set':
      return `${p} is a Set: its contents are not in the log or the hash`
    case 'class-instance':
      return `${p} was ${instance(l.detail)}, logged as its own fields, without its class${l.detail && /Error$/.test(l.detail) ? " (an error's message and stack are not among them)" : ''}`
    case 'to-json':
      return `${p} was ${instance(l.detail)}, logged as what its toJSON returned, without its class and methods`
    case 'typed-array':
      return `${p} was ${l.detail ? `a ${l.detail}` : 'a typed array'}, logged as an object of indexes`
    case 'non-finite':
      return `${p} was ${l.detail ?? 'a non-finite number'}, logged as null`
    case 'undefined-in-array':
      return `${p} was ${l.detail ? `a ${l.detail}` : 'undefined'} in an array, logged as null`
    case 'bigint':
      return l.detail === 'toJSON' ? `${p} was a BigInt, logged as what BigInt.prototype.toJSON returned` : `${p} was a BigInt, left out (JSON cannot write it)`
    case 'function':
    case 'symbol':
      return `${p} was a ${l.kind}, left out`
    case 'circular':
      return `${p} referred back to a container it is in (a circular reference), left out of the log and the hash`
    case 'getter-threw':
      return `${p} threw when read (a getter or toJSON), left out of the log and the hash`
    case 'revoked-proxy':
      return `${p} was a revoked proxy, left out of the log and the hash`
    default:
      return `${p}: ${l.kind}${l.detail ? ` (${l.detail})` : ''}, not logged as it was`
  }
}

/**
 * What was warned about, per page or process: shared through `globalThis` (made at the first
 * warning), as the recorder's full-state writer is a chunk of its own with its own copy of this file.
 */
const WARNED = Symbol.for('redux-flight-recorder.lossyWarned')
const warnedSet = (): Set<string> => ((globalThis as { [WARNED]?: Set<string> })[WARNED] ??= new Set())

/**
 * Warns once per path and kind (development only). Callers check `process.env.NODE_ENV` first, so
 * that a production bundle drops the call with what it builds (an action's type for the context).
 */
export function warnLossy(list: readonly LossyValue[] | null, where: 'action' | 'state', context: string): void {
  if (list === null) return
  try {
    if (process.env.NODE_ENV !== 'production') warnEach(list, where, context)
  } catch {
    // no `process` (an unbundled browser build): no development warnings
  }
}

/**
 * Whether the development warning `key` is due: its first time, under MAX_WARNINGS in all (the one
 * that reaches the cap says so instead).
 */
function firstWarning(key: string): boolean {
  const warned = warnedSet()
  if (warned.has(key) || warned.size > MAX_WARNINGS) return false
  warned.add(key)
  if (warned.size <= MAX_WARNINGS) return true
  console.warn(`[redux-flight-recorder] More than ${MAX_WARNINGS} kinds of values not logged as they were; further ones are not warned about (each log line still lists its own in its \`lossy\` or \`omitted\` key).`)
  return false
}

function warnEach(list: readonly LossyValue[], where: 'action' | 'state', context: string): void {
  for (const l of list) {
    // One warning per kind and path, array indexes counted as one (a list that grows would warn per item).
    const path = shapePath(l.path)
    if (!firstWarning(where + '\u0000' + l.kind + '\u0000' + path)) continue
    const option = where === 'state' ? 'lossy.ignoredPaths' : 'lossy.ignoredActionPaths'
    console.warn(`[redux-flight-recorder] ${context}: ${describeLossy(l, where)}. Replay gets it in that form. (Warned once per path and kind; list '${path}' in \`${option}\` to accept it.)`)
  }
}

/** What an action's `omitted` kind is, for a warning. */
const OMITTED: Record<string, string> = {
  function: 'a function',
  symbol: 'a symbol',
  bigint: 'a BigInt (without a BigInt.prototype.toJSON)',
  circular: 'a circular reference',
  map: 'a Map',
  set: 'a Set',
  'dom-node': 'a DOM node',
  'getter-threw': 'a getter that threw',
  'revoked-proxy': 'a revoked proxy',
  'too-deep': 'nested deeper than 512 levels',
  'symbol-key': 'a property keyed by a symbol',
  'non-enumerable': 'a property that is not enumerable',
}

/**
 * Development only, like `warnLossy` (the caller checks `process.env.NODE_ENV` first): once per
 * action type, kind and path (array indexes as one), that what an action holds is left out of its
 * line (`omitted`, `recordable: false`). A path `ignored` names (`lossy.ignoredActionPaths`) is not
 * warned about; the line lists it all the same. `too-large` is warned about by the recorder.
 */
export function warnOmitted(list: readonly Omission[], type: string, ignored: readonly (string | RegExp)[] | undefined): void {
  try {
    for (const o of list) {
      const path = shapePath(o.path)
      // Not: an action over maxEntryBytes (said as such), nor redux-persist's callbacks, which its replay adapter (`reduxPersist()`) stands in for,
      // nor the function `api.util.upsertQueryData` puts under RTK Query's symbol in a query's `meta.arg`, which replay stands in for (always on).
      if (o.kind === 'too-large' || type.startsWith('persist/') || o.path === 'meta.arg.[Symbol(forceQueryFn)]' || isIgnored(o.path, ignored) || !firstWarning('omitted\u0000' + type + '\u0000' + o.kind + '\u0000' + path)) continue
      const what = o.path === '<root>' ? 'the action' : o.path
      if (o.kind === 'unredactable') {
        console.warn(`[redux-flight-recorder] In action '${type}': the action could not be redacted (${String(o.detail)}), so the log holds its type alone and replay cannot run this step as recorded. (Warned once per action type.)`)
        continue
      }
      console.warn(
        `[redux-flight-recorder] In action '${type}': ${what} is ${OMITTED[o.kind] ?? `not JSON (${o.kind})`}${o.detail === undefined ? '' : ` (${String(o.detail)})`}, left out of the log: the entry is \`recordable: false\` with it in \`omitted\`, so replay dispatches the action without it and cannot check that step if the reducer needs it. Keep actions serialisable, as Redux asks (Redux Toolkit's serializability check flags such values), or list '${path}' in \`lossy.ignoredActionPaths\` if no reducer reads it. (Warned once per action type and path.)`,
      )
    }
  } catch {
    // a console that throws: no warning
  }
}

/** Development only: whether `warnSymbolKeys` has warned (it then looks no more), and the last state it looked through. */
let symbolsWarned = false
let symbolsLast: { deref(): object | undefined } | undefined

/**
 * Development only (the caller checks `process.env.NODE_ENV` first): warns once per page or process
 * when a full state (header, checkpoint, `@@end`) holds a plain object's property keyed by a
 * symbol that holds something: JSON leaves it out, so neither the log nor the hash has it
 * (docs/FORMAT.md, "The JSON projection"). Walks the state's plain objects and arrays, not those
 * of the last state it walked that are still there (states are immutable): a first state of
 * 10,000 entities about 4 ms, one with an entity changed since well under 1 ms.
 */
export function warnSymbolKeys(state: unknown, ignored: readonly (string | RegExp)[] | undefined): void {
  if (symbolsWarned || typeof state !== 'object' || state === null) return
  try {
    const path = symbolKeyIn(state, symbolsLast?.deref(), [], ignored)
    if (path === undefined) {
      symbolsLast = typeof WeakRef === 'function' ? new WeakRef(state) : undefined
      return
    }
    symbolsWarned = true
    symbolsLast = undefined
    console.warn(
      `[redux-flight-recorder] In the state: state.${path} is a property keyed by a symbol. JSON leaves it out, so it is neither in the log nor in the hash: replay cannot see it, nor a change to it alone. Keep the state plain data with string keys, or list '${path}' in \`lossy.ignoredPaths\` to accept it. (Warned once, of the first one found in a full state: header, checkpoint, @@end.)`,
    )
  } catch {
    // a getter that throws, a revoked proxy: the writer reports it
  }
}

/** `prev`: the value at this path in the last state walked, whose containers need no second look. */
function symbolKeyIn(v: object, prev: unknown, keys: string[], ignored: readonly (string | RegExp)[] | undefined): string | undefined {
  if (v === prev || keys.length > MAX_DEPTH) return undefined
  const before = typeof prev === 'object' && prev !== null ? (prev as Record<string, unknown>) : undefined
  if (Array.isArray(v)) {
    const old = Array.isArray(before) ? before : undefined
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i]
      if (typeof x !== 'object' || x === null) continue
      keys.push(String(i))
      const found = symbolKeyIn(x, old?.[i], keys, ignored)
      keys.pop()
      if (found !== undefined) return found
    }
    return undefined
  }
  // What is written as something else (toJSON, a Map, a class instance) is another matter (lossy).
  if (!isPlainProto(Object.getPrototypeOf(v)) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined
  const symbols = Object.getOwnPropertySymbols(v)
  for (let i = 0; i < symbols.length; i++) {
    if ((v as Record<symbol, unknown>)[symbols[i]] === undefined) continue
    const path = pathOf(keys, `[${String(symbols[i])}]`)
    if (!isIgnored(path, ignored)) return path
  }
  const old = before !== undefined && !Array.isArray(before) && isPlainProto(Object.getPrototypeOf(before)) ? before : undefined
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k]
    if (typeof x !== 'object' || x === null) continue
    keys.push(k)
    // (An inherited `old[k]` is no container of this state: looked through all the same.)
    const found = symbolKeyIn(x, old?.[k], keys, ignored)
    keys.pop()
    if (found !== undefined) return found
  }
  return undefined
}

/** `,"lossy":[…]` or `''`. */
export function lossyField(list: readonly LossyValue[] | null): string {
  return list === null ? '' : ',"lossy":' + JSON.stringify(list)
}
