/**
 * Session ids become file and object names, so only a safe alphabet passes: ASCII letters, digits,
 * `-` and `_`, starting with a letter or digit, at most 128 characters. The recorder's ids (UUIDs or
 * 32 hex digits) fit; `..`, `/`, `\`, `%`, NUL, dots and non-ASCII never reach a store.
 */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value)
}

/** The reason an id is refused, as a full sentence. */
export function sessionIdProblem(value: string | null): string {
  if (value === null || value === '') return 'The request has no `session` parameter: expected the session id httpSink puts in each request.'
  const shown = JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
  return `Expected a session id of 1–128 ASCII letters, digits, "-" or "_" (starting with a letter or digit). Instead, received: ${shown}.`
}
