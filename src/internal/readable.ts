import type { LossyValue } from '../format/types'
import { isBoxed } from './boxed'

/** What `readableCopy` leaves out, at most this many listed. */
const MAX_LISTED = 50
/** Deeper than this the copy stops (the hash and the writers refuse such nesting anyway). */
const MAX_DEPTH = 1000

/**
 * A copy of a state without the values no walk can read: a circular reference, a getter or a
 * `toJSON` that throws, a revoked proxy. Each is left out as JSON leaves out a function (dropped
 * from an object, `undefined` in an array, which JSON writes as `null`) and listed with its key
 * path and kind (`circular`, `getter-threw`, `revoked-proxy`, as an action's `omitted` names them).
 * Everything else keeps the form the hash and the writers give it: primitives, boxed primitives and
 * objects with a `toJSON` as they are; arrays as arrays; any other object (a class instance, a
 * `Map`) as a plain object of its own enumerable string keys, which is how fr64 and JSON project it.
 *
 * `leftOut` is empty when nothing had to be left out (then the state's own failure was of another
 * kind, and `value` should not stand in for it).
 */
export function readableCopy(state: unknown): { value: unknown; leftOut: LossyValue[] } {
  const leftOut: LossyValue[] = []
  const within: object[] = []
  const keys: string[] = []
  const note = (kind: string, last: string | undefined) => {
    if (leftOut.length < MAX_LISTED) {
      const all = last === undefined ? keys : [...keys, last]
      leftOut.push({ path: all.length === 0 ? '<root>' : all.join('.'), kind })
    }
  }
  const LEFT = {}
  // The copy of `v`, found under key `last` (undefined at the root); LEFT when it is left out.
  const copy = (v: unknown, last: string | undefined): unknown => {
    if (v === null || typeof v !== 'object') return v
    if (within.includes(v)) return (note('circular', last), LEFT)
    let isArray: boolean
    try {
      isArray = Array.isArray(v)
    } catch {
      return (note('revoked-proxy', last), LEFT)
    }
    try {
      if (isBoxed(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        // (What a toJSON returns is the writers' and the hash's to take; one that throws is left out.)
        if (!isBoxed(v)) (v as { toJSON: (key: string) => unknown }).toJSON(last ?? '')
        return v
      }
    } catch {
      return (note('getter-threw', last), LEFT)
    }
    if (within.length >= MAX_DEPTH) return v
    let names: string[]
    try {
      names = Object.keys(v)
    } catch {
      return (note('revoked-proxy', last), LEFT)
    }
    if (last !== undefined) keys.push(last)
    within.push(v)
    try {
      if (isArray) {
        let length: number
        try {
          length = (v as unknown[]).length
        } catch {
          return (note('getter-threw', last), LEFT)
        }
        const out: unknown[] = new Array(length)
        for (let i = 0; i < out.length; i++) {
          let x: unknown
          try {
            x = (v as unknown[])[i]
          } catch {
            note('getter-threw', String(i))
            continue
          }
          const c = copy(x, String(i))
          out[i] = c === LEFT ? null : c
        }
        return out
      }
      const out: Record<string, unknown> = {}
      for (const k of names) {
        let x: unknown
        try {
          x = (v as Record<string, unknown>)[k]
        } catch {
          note('getter-threw', k)
          continue
        }
        const c = copy(x, k)
        // (A `__proto__` key is an own key, as JSON.parse makes it.)
        if (c !== LEFT) Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true })
      }
      return out
    } finally {
      within.pop()
      if (last !== undefined) keys.pop()
    }
  }
  let value: unknown
  try {
    value = copy(state, undefined)
  } catch {
    // (Nesting past the stack: nothing stands in for the state, whose own failure is reported.)
    return { value: state, leftOut: [] }
  }
  return { value: value === LEFT ? null : value, leftOut }
}
