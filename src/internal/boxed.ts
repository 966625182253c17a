/**
 * `v` is a boxed Number, String, Boolean or BigInt: it holds a primitive (JSON's test, by the
 * internal slot that `valueOf` reads), not merely inherits from that prototype.
 */
export function isBoxed(v: object): boolean {
  const proto =
    v instanceof Number ? Number.prototype : v instanceof String ? String.prototype : v instanceof Boolean ? Boolean.prototype : typeof BigInt === 'function' && v instanceof BigInt ? BigInt.prototype : null
  if (proto === null) return false
  try {
    ;(proto.valueOf as (this: unknown) => unknown).call(v)
    return true
  } catch {
    return false
  }
}
