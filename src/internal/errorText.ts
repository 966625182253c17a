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
 * The name and message of a thrown value, as a log's `threw` holds them (docs/FORMAT.md, the
 * message cut at `max` characters): an error's as strings (a `message` of 42 is `'42'`), else its
 * type and text; `'Error'` and `''` for what cannot be read. Never throws. The recorder, its
 * redaction of the message and the replayer read an error the same way, so a crash replayed
 * compares as recorded.
 */
export function errorParts(error: unknown, max?: number): { name: string; message: string } {
  let name = 'Error'
  let message = ''
  try {
    name = error instanceof Error ? String(error.name) : typeof error
    message = String(error instanceof Error ? error.message : error)
  } catch {
    // (a name or message that cannot be read: what was read is kept)
  }
  return { name, message: message.slice(0, max) }
}

/** A crash as reports name it: `'Name: message'`, the name alone when the message is empty. */
export const crashText = (name: string, message: string): string => (message !== '' ? `${name}: ${message}` : name)

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
