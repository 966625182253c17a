import { isPlainProto } from './plain'

/**
 * A deep copy of the arrays and plain objects in `value` (what a parsed log holds); any other value
 * (a Date, a class instance, a function) is shared as it is. Keys are copied as own data
 * properties, `__proto__` too (as `JSON.parse` makes it), and a cycle or a shared object is copied
 * once and shared in the copy as in the original. No recursion: as deep as the value is.
 *
 * `copies`, when given, gets each original with its copy, in the order they were met; `paths`,
 * when given, the key path of each (`''` for the root, `a.b.0`), in the same order.
 */
export function copyPlain<T>(value: T, copies = new Map<object, unknown>(), paths?: string[]): T {
  /** Originals whose keys are still to copy, each with its copy (and its path, with `paths`). */
  const pending: unknown[] = []
  const copyOf = (v: unknown, path: string | undefined): unknown => {
    if (typeof v !== 'object' || v === null) return v
    const known = copies.get(v)
    if (known !== undefined) return known
    const array = Array.isArray(v)
    if (!array && !isPlainProto(Object.getPrototypeOf(v))) return v
    const copy: unknown = array ? new Array((v as unknown[]).length) : Object.create(Object.getPrototypeOf(v))
    copies.set(v, copy)
    paths?.push(path!)
    pending.push(v, copy, path)
    return copy
  }
  const root = copyOf(value, paths && '')
  while (pending.length > 0) {
    const path = pending.pop() as string | undefined
    const copy = pending.pop() as Record<string, unknown>
    const source = pending.pop() as Record<string, unknown>
    const at = (key: string) => (paths === undefined ? undefined : path ? `${path}.${key}` : key)
    if (Array.isArray(source)) {
      // (A hole stays a hole.)
      for (let i = 0; i < source.length; i++) if (i in source) (copy as unknown as unknown[])[i] = copyOf(source[i], at(String(i)))
    } else {
      for (const key of Object.keys(source)) {
        const v = copyOf(source[key], at(key))
        if (key === '__proto__') Object.defineProperty(copy, key, { value: v, writable: true, enumerable: true, configurable: true })
        else copy[key] = v
      }
    }
  }
  return root as T
}
