import { safeString } from './errorText'

/** A short description of a value for error messages: `'text'`, `null`, `number 3`, `an object`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'string') return `'${value}'`
  if (typeof value === 'function') return 'a function'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

/**
 * A value as one line of JSON, cut to `max` characters with `…`; `absent` stands for `undefined`.
 * Never throws: a value JSON cannot write (nested too deep, a throwing `toJSON`) falls back to its string form.
 */
export function jsonLine(value: unknown, max: number, absent: string): string {
  if (value === undefined) return absent
  let text: string
  try {
    text = JSON.stringify(value) ?? safeString(value)
  } catch (error) {
    // Too deep for JSON (a stack overflow) or circular: say so, rather than "[object Object]".
    const message = String((error as Error)?.message ?? 'it threw')
    text = typeof value === 'object' && value !== null ? `(cannot be shown as JSON: ${/call stack/i.test(message) ? 'nested too deeply' : message.split('\n')[0]})` : safeString(value)
  }
  return text.length > max ? text.slice(0, max - 1) + '…' : text
}
