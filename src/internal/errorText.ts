/**
 * The message of an error (its name when the message is empty: IndexedDB's `QuotaExceededError`
 * may come with none), or the text of anything thrown; never throws.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return safeString(error)
}

/** `'Name: message'` of an error, or the text of anything thrown; never throws. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : safeString(error)
}

/**
 * `String(value)` that never throws: values read from a log can be objects whose `toString` is
 * data (`{"toString":1}`) or arrays nested too deep for `join`.
 */
export function safeString(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}
