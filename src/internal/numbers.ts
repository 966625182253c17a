/** A number above zero (or zero too, with `allowZero`); NaN is not, Infinity is. */
export function isPositiveNumber(value: unknown, allowZero = false): value is number {
  return typeof value === 'number' && (value > 0 || (allowZero && value === 0))
}
