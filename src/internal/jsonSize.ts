import { isPlainProto } from './plain'
import { REDACTED, redactedValue, type RedactState, type Redactor } from '../redact'

/** Deeper than this, the walk leaves the value to the projection (which cuts nesting off at 512). */
const MAX_DEPTH = 500

/** Values `quickHi` looks at before it leaves the action to the walk, and how deep it goes. */
const QUICK_VALUES = 64
const QUICK_DEPTH = 8
let budget = 0

/**
 * The walk's upper bound (`hi`, the same counts) for a value of plain objects, arrays and
 * primitives only, at most QUICK_VALUES values and QUICK_DEPTH levels; -1 for anything else (the
 * walk decides). `for…in` visits an enumerable key of `Object.prototype` too, which only makes the
 * bound larger.
 */
function quickHi(v: unknown, depth: number): number {
  if (--budget < 0) return -1
  if (typeof v === 'string') return 6 * v.length + 2
  if (typeof v !== 'object') return typeof v === 'number' || typeof v === 'boolean' || v === undefined ? 24 : -1
  if (v === null) return 24
  if (depth >= QUICK_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function') return -1
  let hi = 2
  if (Array.isArray(v)) {
    if (v.length > budget) return -1
    hi += v.length
    for (let i = 0; i < v.length; i++) {
      const h = quickHi(v[i], depth + 1)
      if (h < 0) return -1
      hi += h
    }
    return hi
  }
  if (!isPlainProto(Object.getPrototypeOf(v))) return -1
  for (const k in v) {
    const h = quickHi((v as Record<string, unknown>)[k], depth + 1)
    if (h < 0) return -1
    hi += h + 6 * k.length + 4
  }
  return hi
}

/**
 * How the UTF-8 length of an action's line (its projected JSON and the `omitted` notes listing
 * what JSON cannot hold) compares with `limit`, as far as a walk bounded by the
 * limit can tell: `'small'` (surely at most `limit`), `'large'` (surely over it) or `'unknown'`
 * (measure it). Two bounds are summed as it goes: each character of a string or key is at least 1
 * byte and at most 6 (`\u001f`), any other primitive at most 24 bytes, each container or entry a
 * few bytes of punctuation, a function the note of `omitted` that lists it (the line's size counts
 * its notes: see projectedBytes). It stops once the lower bound passes the limit, so its cost is bounded
 * whatever the value (a page of data), and is a few property reads for a typical action. Only
 * what the projection writes as JSON writes it is counted: a `toJSON` other than `Date`'s, a class
 * instance, a cycle or nesting past 500 make it `'unknown'` (the projection leaves such values out,
 * so a lower bound that counted them could call a small action large).
 *
 * With a `redactor`, what is counted is what redaction leaves (`applyRedaction`): a value at a
 * matched path counts as the {@link REDACTED} string it becomes (an action's `undefined`, `null`,
 * function or symbol stays as it is: `redactedValue`), so a page of data with a redacted
 * field in each row is found large without copying and serialising it (150–280 ms at 50,000 rows).
 */
export function jsonSize(value: unknown, limit: number, redactor: Redactor | null = null): 'small' | 'large' | 'unknown' {
  // A typical action (a few plain objects of primitives, no redaction): its upper bound alone, with
  // no walk state allocated (the walk below took ~0.5 µs a dispatch for a two-object action).
  if (redactor === null) {
    budget = QUICK_VALUES
    try {
      const hi = quickHi(value, 0)
      if (hi >= 0 && hi <= limit) return 'small'
    } catch {
      // a getter threw: the walk below says what it makes of it
    }
  }
  let lo = 0
  let hi = 0
  // Containers being walked, each with its keys (null for an array), the next index, the
  // redaction automaton's state there (null: no path matches below) and the most characters its
  // path can take in a note of `omitted` (a key's text escaped, and a separator or brackets).
  // `meta`: the action's own `meta`, whose `baseQueryMeta` (RTK Query's) the projection leaves out silently.
  const open: { v: Record<string, unknown> | unknown[]; keys: string[] | null; i: number; r: RedactState | null; p: number; meta?: true }[] = []
  /** Counts `v` (at automaton state `r`, path of at most `p` characters); a container is opened (walked entry by entry). Returns false for what the projection may not write as JSON does (see above). */
  const visit = (v: unknown, r: RedactState | null, p: number): boolean => {
    if (typeof v === 'string') {
      lo += v.length + 2
      hi += 6 * v.length + 2
    } else if (typeof v === 'function' || typeof v === 'symbol') {
      // Left out (or `null` in an array) and listed in the line's `omitted`: a note of at least 30
      // characters for a function ({"path":"x","kind":"function"}; a symbol may be the `type`,
      // written as `String(type)`), at most 40 (with `null` in an array) and its path's escaped text.
      if (typeof v === 'function') lo += 30
      hi += 40 + 6 * p + (typeof v === 'symbol' ? 6 * (v.description?.length ?? 0) + 10 : 0)
    } else if (typeof v === 'bigint') {
      // Written as what a BigInt.prototype.toJSON returns, if there is one.
      return false
    } else if (typeof v !== 'object' || v === null) {
      // (undefined: left out, or `null` in an array.)
      hi += 24
    } else if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      if (!(v instanceof Date)) return false
      hi += 26
    } else if (open.length >= MAX_DEPTH || open.some((o) => o.v === v)) {
      // A cycle, or nesting the projection cuts off: it writes neither.
      return false
    } else if (Array.isArray(v)) {
      lo += 2 + Math.max(0, v.length - 1)
      hi += 2 + v.length
      open.push({ v, keys: null, i: 0, r, p })
    } else if (!isPlainProto(Object.getPrototypeOf(v))) {
      // A class instance, a Map, a typed array: the projection leaves it out or writes it in its own way.
      return false
    } else {
      lo += 2
      hi += 2
      // (Own enumerable keys: those JSON writes.)
      // (Keys JSON skips but the line lists in `omitted` — a symbol key, one not enumerable, an
      // array's named property — are not looked for: that cost ~0.8 µs a dispatch here, for lines
      // rare enough that, when one is over the limit, its writer finding it is soon enough.)
      open.push({ v: v as Record<string, unknown>, keys: Object.keys(v), i: 0, r, p })
    }
    return true
  }
  try {
    const root = redactor?.root ?? null
    if (!visit(root?.terminal ? redactedValue(value, redactor!.actions) : value, root, 6)) return 'unknown'
    while (open.length > 0 && lo <= limit) {
      const top = open[open.length - 1]
      const n = top.keys === null ? (top.v as unknown[]).length : top.keys.length
      if (top.i >= n) {
        open.pop()
        continue
      }
      const k = top.keys === null ? null : top.keys[top.i]
      if (top.meta && k === 'baseQueryMeta') {
        top.i++
        continue
      }
      let r = top.r === null ? null : redactor!.step(top.r, k ?? String(top.i))
      // (An array's hole is not redacted: it stays null, as redaction follows the keys there are.)
      if (r?.terminal && k === null && !(top.i in top.v)) r = null
      // (A matched path's value is written as what redaction makes of it: mostly the REDACTED string.)
      let x: unknown = k === null ? (top.v as unknown[])[top.i] : (top.v as Record<string, unknown>)[k]
      if (r?.terminal) x = redactedValue(x, redactor!.actions)
      top.i++
      if (k !== null) {
        hi += 6 * k.length + 4
        // A key is written only with a value JSON writes.
        if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || (typeof x === 'object' && x !== null)) lo += k.length + 3
      }
      if (!visit(x, r, top.p + (k === null ? 17 : 6 * k.length + 5))) return 'unknown'
      if (k === 'meta' && open.length === 2 && open[1].v === x) open[1].meta = true
    }
  } catch {
    // A getter threw: the serialiser will say what it makes of it.
    return 'unknown'
  }
  if (lo > limit) return 'large'
  return hi <= limit ? 'small' : 'unknown'
}
