import { describe } from './describe'

/** A number above zero (or zero too, with `allowZero`); NaN is not, Infinity is. */
export function isPositiveNumber(value: unknown, allowZero = false): value is number {
  return typeof value === 'number' && (value > 0 || (allowZero && value === 0))
}

/**
 * An option that must be a number above zero: `value` itself (`undefined` too, so the option's
 * default applies), else a TypeError that names it. `'finite'` also refuses Infinity; `'integer'`
 * refuses fractions and Infinity.
 */
export function positiveOption(name: string, value: unknown, kind: 'number' | 'finite' | 'integer' = 'number'): number | undefined {
  if (value === undefined) return undefined
  if (isPositiveNumber(value) && (kind === 'number' || (kind === 'finite' ? Number.isFinite(value) : Number.isInteger(value)))) return value
  throw new TypeError(`[redux-flight-recorder] Expected \`${name}\` to be a positive ${kind === 'integer' ? 'integer' : 'number'}. Instead, received: ${describe(value)}.`)
}
