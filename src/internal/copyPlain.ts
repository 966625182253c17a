import { isPlainProto } from './plain'

/**
 * A deep copy of the arrays and plain objects in `value` (what a parsed log holds); any other value
 * (a Date, a class instance, a function) is shared as it is. Keys are copied as own data
 * properties, `__proto__` too (as `JSON.parse` makes it), and a cycle or a shared object is copied
 * once and shared in the copy as in the original. No recursion: as deep as the value is.
 */
export function copyPlain<T>(value: T): T {
  const copies = new Map<object, unknown>()
  const copyOf = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v
    const known = copies.get(v)
    if (known !== undefined) return known
    const array = Array.isArray(v)
    if (!array && !isPlainProto(Object.getPrototypeOf(v))) return v
    const copy: unknown = array ? new Array((v as unknown[]).length) : Object.create(Object.getPrototypeOf(v))
    copies.set(v, copy)
    pending.push(v as Record<string, unknown>, copy as Record<string, unknown>)
    return copy
  }
  const pending: Record<string, unknown>[] = []
  const root = copyOf(value)
  while (pending.length > 0) {
    const copy = pending.pop()!
    const source = pending.pop()!
    if (Array.isArray(source)) {
      for (let i = 0; i < source.length; i++) (copy as unknown as unknown[])[i] = copyOf(source[i])
    } else {
      for (const key of Object.keys(source)) {
        const v = copyOf(source[key])
        if (key === '__proto__') Object.defineProperty(copy, key, { value: v, writable: true, enumerable: true, configurable: true })
        else copy[key] = v
      }
    }
  }
  return root as T
}
