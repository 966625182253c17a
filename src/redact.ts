import { describe } from './internal/describe'
/**
 * Redaction paths: `'auth.token'`, `'users.*.password'`, `'**.password'`,
 * `'servers.entities["db.example.com"].password'`. Keys are joined by `.`; `*` matches exactly one key or
 * array index, `**` any number of keys (zero included); a key holding `.` (or any key, to match
 * it literally: `["*"]`) is written as a JSON string in brackets, as the log writes paths
 * (docs/FORMAT.md, "Path text"). A matched value is replaced by {@link REDACTED} before it is
 * hashed or written.
 */
export const REDACTED = '[redacted]'

/**
 * What a value at a matched path becomes: {@link REDACTED}. In an action (`actions`), a value JSON
 * leaves out (undefined, a function, a symbol) or `null` stays as it is: it holds no secret, and
 * the placeholder would put a key in the log where the app's action had none (`{ arg: undefined }`
 * written as `"arg":"[redacted]"`), or a text where it had none, which a reducer that checks
 * `!== undefined`, `?? x` or `=== null` tells apart at replay. A function or a symbol is then left
 * out and listed in `omitted`, as without redaction. State keeps the rule its hashes were written
 * with (docs/FORMAT.md, "Redaction"): every value becomes the placeholder.
 */
export function redactedValue(value: unknown, actions: boolean | undefined): unknown {
  return actions && (value == null || typeof value === 'function' || typeof value === 'symbol') ? value : REDACTED
}

/** One position of the path automaton; interned, so it can key caches. */
export interface RedactState {
  readonly id: number
  /** A pattern ends here: the value at this path is redacted. */
  readonly terminal: boolean
  /** @internal */
  readonly positions: readonly number[]
  /** @internal */
  readonly next: Map<string, RedactState | null>
}

export interface Redactor {
  readonly paths: readonly string[]
  /**
   * Paths of actions (`redact.actions`): a matched value JSON leaves out (undefined, a function, a
   * symbol) or `null` stays as it is (see {@link redactedValue}). State paths replace every value.
   */
  readonly actions?: boolean
  readonly root: RedactState
  /** The state after descending into `key`, or `null` when no pattern can match below it. */
  step(state: RedactState, key: string): RedactState | null
}

const MAX_CACHED_TRANSITIONS = 2048

/**
 * Checked in production too (a path that silently matches nothing leaks); the full message is the
 * development build's, production names the option and the value.
 */
export function validateRedactPaths(paths: unknown, option: string): string[] {
  if (paths === undefined) return []
  let why = ''
  const refused = (p: unknown): boolean => {
    if (typeof p !== 'string' || p === '' || p.length > 1024) return true
    const parsed = parseRedactPath(p, true)
    if (typeof parsed === 'string') why = parsed
    return typeof parsed === 'string'
  }
  const at = !Array.isArray(paths) ? -2 : paths.findIndex(refused)
  if (at === -1) {
    // What log readers accept (src/format/parse.ts): a longer list would make a log nothing reads.
    const count = (paths as string[]).length
    if (count > 1000) throw new TypeError(`[redux-flight-recorder] \`${option}\` holds ${count} paths; at most 1000 are allowed.`)
    return paths as string[]
  }
  const bad = at === -2 ? paths : (paths as unknown[])[at]
  throw new TypeError(
    process.env.NODE_ENV !== 'production'
      ? at >= 0
        ? `[redux-flight-recorder] Expected every path in \`${option}\` to be a dot-separated key path such as 'auth.token' (a key holding a dot in brackets, as a JSON string: 'servers["db.example.com"].password')${why ? `; ${why}` : ''}. Instead, received: ${describe(bad)}.`
        : `[redux-flight-recorder] Expected \`${option}\` to be an array of path strings. Instead, received: ${describe(paths)}.`
      : `[redux-flight-recorder] Invalid \`${option}\`: ${describe(bad)}.`,
  )
}

/**
 * The state redaction `paths` whose match is every value of the state (the root, or every
 * top-level key: `'**'`, `'*'`): with it a state hash says nothing about what a reducer did.
 * `null` when there is none.
 */
export function wholeStatePath(redactor: Redactor | null): string | null {
  if (redactor === null) return null
  // A key no app uses: only a wildcard reaches it.
  const probe = redactor.root.terminal ? redactor.root : redactor.step(redactor.root, '\u0000')
  if (probe === null || !probe.terminal) return null
  return redactor.paths.find((p) => /^[*.]+$/.test(p) && p.split('.').length <= 2) ?? redactor.paths.join(', ')
}

/** A path's `*` (one key) and `**` (any number of keys): a bracketed `["*"]` is the key "*". */
const ONE: unique symbol = Symbol('*')
const ANY: unique symbol = Symbol('**')
type Segment = string | typeof ONE | typeof ANY
/** A key written bare: `*` and `**` are wildcards. */
const segment = (key: string): Segment => (key === '*' ? ONE : key === '**' ? ANY : key)

/**
 * A redaction path's keys (wildcards as ONE and ANY), or why it is not one. `strict` (the
 * recorder's options): a bare key may not hold `[`, `]`, `"` or `\` (a path written with quotes,
 * escapes or an index in brackets would match nothing and leak: it must say so). Otherwise (a log's
 * header) such a key is taken as it is, as older versions matched it.
 */
function parseRedactPath(path: string, strict: boolean): Segment[] | string {
  const out: Segment[] = []
  let i = 0
  for (;;) {
    if (path.startsWith('["', i)) {
      // A JSON string up to the first unescaped quote, then `]`.
      let j = i + 2
      while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1
      let key: unknown
      try {
        key = JSON.parse(path.slice(i + 1, j + 1))
      } catch {
        return process.env.NODE_ENV !== 'production' ? `the key in brackets at ${i} is not a JSON string` : ''
      }
      if (path[j + 1] !== ']') return process.env.NODE_ENV !== 'production' ? `the key in brackets at ${i} is not closed by "]"` : ''
      out.push(key as string)
      i = j + 2
    } else {
      let j = i
      while (j < path.length && path[j] !== '.' && !path.startsWith('["', j)) j++
      const key = path.slice(i, j)
      if (key === '') return process.env.NODE_ENV !== 'production' ? 'a key is empty' : ''
      // (A key that starts or ends with a single quote is a quoted key that the dots split: `a.'b.c'`.)
      if (strict && (/[[\]"\\]/.test(key) || key.startsWith("'") || key.endsWith("'"))) {
        return process.env.NODE_ENV !== 'production' ? `the key ${JSON.stringify(key)} holds [, ], " or \\, or is quoted with ' (write a key as a JSON string in brackets, with double quotes; an array index as a key: 'list.0')` : ''
      }
      out.push(segment(key))
      i = j
    }
    if (i === path.length) return out
    if (path[i] === '.') {
      i++
      if (i === path.length) return process.env.NODE_ENV !== 'production' ? 'a key is empty' : ''
    } else if (!path.startsWith('["', i)) return process.env.NODE_ENV !== 'production' ? `a key in brackets ends at ${i} without "." or "[" after it` : ''
  }
}

/**
 * Whether one of `paths` (as `validateRedactPaths` passed them) redacts an action's `meta.turn`:
 * the key itself or what holds it (`'meta'`, `'**.turn'`, `'*'`): a turn the action names is then a
 * secret, not its entry's `turn`. Matched on the parsed keys (no automaton: the recorder's shell,
 * which the page loads, takes its turns before the core with the redactor arrives).
 */
export function redactsMetaTurn(paths: readonly string[]): boolean {
  // Whether the keys `p` match `keys`, from the last key back (linear: a path of many `**` made a
  // recursion take a minute for 1,000 such paths). ok[k]: p from i on matches keys from k on.
  const matches = (p: Segment[], keys: readonly string[]): boolean => {
    let ok = keys.map(() => false).concat(true)
    for (let i = p.length - 1; i >= 0; i--) {
      const next = ok
      ok = []
      for (let k = keys.length; k >= 0; k--) ok[k] = p[i] === ANY ? next[k] || (k < keys.length && ok[k + 1]) : k < keys.length && (p[i] === ONE || p[i] === keys[k]) && next[k + 1]
    }
    return ok[0]
  }
  return paths.some((path) => {
    // The keys of a path as `parseRedactPath` reads one it accepts (a bare key holds no `[`, `]`,
    // `"` or `\\`): a JSON string in brackets, or a bare key (`*`, `**` wildcards). Not the parser
    // itself, which the recorder's shell would then bring onto the page; test/redact checks that
    // the two agree.
    let p: Segment[]
    try {
      p = (path.match(/\["(?:[^"\\]|\\.)*"\]|[^.[]+/g) ?? []).map((k) => (k[0] === '[' ? (JSON.parse(k.slice(1, -1)) as string) : segment(k)))
    } catch {
      return false
    }
    return [[], ['meta'], ['meta', 'turn']].some((keys) => matches(p, keys))
  })
}

/**
 * The format version of a log whose redaction paths are `paths`: 1.1 when one names a key in
 * brackets (a reader of 1.0 split every path at its dots; `m["k"]` was the key `m["k"]` then).
 */
export function redactFormatVersion(paths: readonly string[]): number {
  return paths.some((p) => p.includes('["')) ? 1.1 : 1
}

/** A redaction path shown under its root (`state.auth.token`, `action["a.b"]`), as `inspect` and `rehash` list a log's paths. */
export function redactPathUnder(root: 'state' | 'action', path: string): string {
  return path.startsWith('[') ? root + path : `${root}.${path}`
}

/** The state redaction of a log, read as the version its header names wrote it (see redactFormatVersion). */
export function logRedactor(header: { readonly v?: unknown; readonly redact?: { readonly state?: readonly string[] } }): Redactor | null {
  return compileRedactor(header.redact?.state ?? [], typeof header.v === 'number' && header.v >= 1.1)
}

/**
 * Compiles redaction paths into an automaton; `null` when there is nothing to redact. `brackets`
 * (the recorder's options, a log of format 1.1 or later): a key may be written in brackets;
 * otherwise (an older log) every path is split at each dot, as it was matched when written.
 * `actions`: the paths are `redact.actions` (see {@link redactedValue}).
 */
export function compileRedactor(paths: readonly string[], brackets = true, actions?: boolean): Redactor | null {
  if (paths.length === 0) return null
  const patterns = paths.map((p): Segment[] => {
    const parsed = brackets ? parseRedactPath(p, false) : undefined
    return typeof parsed === 'object' ? parsed : p.split('.').map(segment)
  })
  const interned = new Map<string, RedactState>()
  let nextId = 0

  // Positions are encoded as pattern * 65536 + segment. Closing over `**` lets it match nothing.
  const close = (positions: number[]): number[] => {
    const out = new Set<number>()
    const stack = [...positions]
    while (stack.length > 0) {
      const pos = stack.pop()!
      if (out.has(pos)) continue
      out.add(pos)
      const pi = pos >>> 16
      const si = pos & 0xffff
      if (patterns[pi][si] === ANY) stack.push(pi * 65536 + si + 1)
    }
    return [...out].sort((a, b) => a - b)
  }

  const intern = (positions: number[]): RedactState | null => {
    if (positions.length === 0) return null
    const key = positions.join(',')
    let state = interned.get(key)
    if (!state) {
      const terminal = positions.some((pos) => (pos & 0xffff) === patterns[pos >>> 16].length)
      state = { id: nextId++, terminal, positions, next: new Map() }
      interned.set(key, state)
    }
    return state
  }

  const root = intern(close(patterns.map((_, i) => i * 65536)))!

  const step = (state: RedactState, key: string): RedactState | null => {
    const cached = state.next.get(key)
    if (cached !== undefined) return cached
    const moved: number[] = []
    for (const pos of state.positions) {
      const pi = pos >>> 16
      const si = pos & 0xffff
      const seg = patterns[pi][si]
      if (seg === undefined) continue
      if (seg === ANY) moved.push(pos)
      else if (seg === ONE || seg === key) moved.push(pos + 1)
    }
    const result = intern(close(moved))
    if (state.next.size < MAX_CACHED_TRANSITIONS) state.next.set(key, result)
    return result
  }

  return { paths, actions, root, step }
}

/**
 * A copy of `value` with every matched path replaced by {@link REDACTED}; unmatched subtrees are
 * shared, not copied. Returns `value` itself when nothing matched.
 */
export function applyRedaction(value: unknown, redactor: Redactor | null, shared?: RedactionCopies, copies?: Map<object, unknown>): unknown {
  if (!redactor) return value
  return redactAt(value, redactor, redactor.root, shared, '', [], copies)
}

/**
 * `applyRedaction` for a value found at automaton state `state` (under key `key`, for `toJSON`;
 * `ancestors`: the originals on the path to it from the root, left as they were): what a writer
 * that walks a state itself (stateJson.ts) redacts a child with.
 */
export function redactBelow(value: unknown, redactor: Redactor, state: RedactState, key: string, ancestors: object[]): unknown {
  return redactAt(value, redactor, state, undefined, key, ancestors, undefined)
}

/** How deep redaction follows a value: deeper than the action writer's cut (512, `too-deep`), and shallow enough not to overflow the stack. */
const MAX_REDACT_DEPTH = 1024

/**
 * Copies made by `applyRedaction`, by automaton state and original: given to two calls, an object
 * both states share gets the same copy in both (states compared by reference stay comparable).
 */
export type RedactionCopies = Map<number, WeakMap<object, unknown>>

/**
 * `ancestors`: the originals on the path here. A value that is one of them (a cycle) is returned as
 * it is: the writers refuse it or leave it out (`circular`; with `copies`, original → its redacted
 * copy, the action writer also knows a cycle through the original of a copy it is inside). Deeper
 * than MAX_REDACT_DEPTH it throws: what cannot be redacted is not written.
 */
function redactAt(value: unknown, redactor: Redactor, state: RedactState, shared: RedactionCopies | undefined, key: string, ancestors: object[], copies: Map<object, unknown> | undefined): unknown {
  if (state.terminal) return redactedValue(value, redactor.actions)
  if (value === null || typeof value !== 'object') return value
  if (ancestors.includes(value)) return value
  if (ancestors.length > MAX_REDACT_DEPTH) throw new RangeError('[redux-flight-recorder] A value is nested too deeply to redact.')
  let toJSON: unknown
  try {
    toJSON = (value as { toJSON?: unknown }).toJSON
  } catch {
    return value // the writer reports what throws
  }
  // A value with toJSON is not shared: what it writes may depend on its key.
  ancestors.push(value)
  let out: unknown
  if (typeof toJSON === 'function') out = projectedCopy(value, toJSON, redactor, state, shared, key, ancestors, copies)
  else {
    let seen: WeakMap<object, unknown> | undefined
    if (shared) {
      seen = shared.get(state.id)
      if (!seen) shared.set(state.id, (seen = new WeakMap()))
      else if (seen.has(value)) {
        ancestors.pop()
        return seen.get(value)
      }
    }
    out = redactedCopy(value, redactor, state, shared, ancestors, copies)
    seen?.set(value, out)
  }
  ancestors.pop()
  if (out !== value) copies?.set(value, out)
  return out
}

/**
 * JSON writes what a `toJSON` method returns (given the key): paths are matched in that, so a
 * secret a class writes from a private field is redacted too. The value itself when nothing matched.
 */
function projectedCopy(value: object, toJSON: Function, redactor: Redactor, state: RedactState, shared: RedactionCopies | undefined, key: string, ancestors: object[], copies: Map<object, unknown> | undefined): unknown {
  let projected: unknown
  try {
    projected = toJSON.call(value, key)
  } catch {
    return value // the writer reports what throws
  }
  if (projected === null || typeof projected !== 'object') return value
  const copy = redactedCopy(projected, redactor, state, shared, ancestors, copies)
  if (copy === projected) return value
  // JSON does not call a toJSON of what toJSON returned: the copy must not carry one either.
  if (typeof (copy as { toJSON?: unknown }).toJSON === 'function') delete (copy as { toJSON?: unknown }).toJSON
  return copy
}

function redactedCopy(value: object, redactor: Redactor, state: RedactState, shared: RedactionCopies | undefined, ancestors: object[], copies: Map<object, unknown> | undefined): unknown {
  let copy: Record<string, unknown> | unknown[] | undefined
  const keys = Object.keys(value)
  for (const key of keys) {
    const child = redactor.step(state, key)
    if (!child) continue
    let current: unknown
    try {
      current = (value as Record<string, unknown>)[key]
    } catch {
      // A getter that throws (a secret that refuses to be read) is "[redacted]" where its value is
      // (it held something: in an action too); elsewhere the writer reports it.
      if (!child.terminal) continue
      current = {}
    }
    const replaced = redactAt(current, redactor, child, shared, key, ancestors, copies)
    if (replaced !== current) {
      if (!copy) {
        try {
          copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }
        } catch {
          // (A getter threw: the copy reads each key through the original, until one is set here.)
          copy = Array.isArray(value) ? new Array(value.length) : {}
          for (const k of keys) Object.defineProperty(copy, k, { get: () => (value as Record<string, unknown>)[k], enumerable: true, configurable: true })
        }
      }
      // defineProperty: a "__proto__" key stays an own data property
      Object.defineProperty(copy, key, { value: replaced, enumerable: true, writable: true, configurable: true })
    }
  }
  return copy ?? value
}
