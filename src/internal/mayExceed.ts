/**
 * Whether the JSON of `value` may be longer than `limit` UTF-8 bytes; `false` only when it surely
 * is not. A walk that stops as soon as its bound passes the limit, so its cost is bounded by the
 * limit whatever the value (a cycle, a huge array), and a few property reads for a typical action.
 *
 * The bound: each character of a string or key becomes at most 6 bytes (`\u001f`), any other
 * primitive at most 24, each container or entry a few bytes of punctuation. A `toJSON` other than
 * `Date`'s cannot be bounded without calling it: such a value "may" exceed.
 */
export function mayExceed(value: unknown, limit: number): boolean {
  let budget = limit
  const stack: unknown[] = [value]
  try {
    while (stack.length > 0) {
      const v = stack.pop()
      if (typeof v === 'string') budget -= 6 * v.length + 2
      else if (typeof v !== 'object' || v === null) budget -= 24
      else if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        if (!(v instanceof Date)) return true
        budget -= 26
      } else if (Array.isArray(v)) {
        budget -= 2 + v.length
        for (let i = 0; i < v.length && budget >= 0; i++) stack.push(v[i])
      } else {
        budget -= 2
        for (const k in v) {
          budget -= 6 * k.length + 4
          if (budget < 0) break
          stack.push((v as Record<string, unknown>)[k])
        }
      }
      if (budget < 0) return true
    }
  } catch {
    // A getter threw: the serialiser will say what it makes of it.
    return true
  }
  return false
}
