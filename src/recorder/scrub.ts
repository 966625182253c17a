import { applyRedaction, REDACTED, type Redactor } from '../redact'

/** Redacted texts shorter than this are left in messages (a flag, a digit: too likely by chance). */
const MIN_SECRET = 4
/** At most this many redacted values are looked for in a message. */
const MAX_SECRETS = 64

/**
 * The error a reducer threw, as its line gives it: its message with each value found under a
 * redacted path of the state it was given or of the action replaced by `"[redacted]"` (a reducer
 * that throws ``new Error(`bad token ${s.token}`)`` would otherwise put the token in the log). The
 * error itself when nothing is to be replaced. Runs on the failure path only.
 */
export function scrubThrown(error: unknown, state: unknown, stateRedactor: Redactor | null, action: unknown, actionRedactor: Redactor | null): unknown {
  if (!stateRedactor && !actionRedactor) return error
  let name: string
  let message: string
  try {
    name = error instanceof Error ? error.name : typeof error
    message = error instanceof Error ? error.message : String(error)
  } catch {
    return error
  }
  const secrets = new Set<string>()
  try {
    if (stateRedactor) collect(state, applyRedaction(state, stateRedactor), secrets, 0)
    if (actionRedactor) collect(action, applyRedaction(action, actionRedactor), secrets, 0)
  } catch {
    // (a getter that throws, a value too deep: what was found is replaced)
  }
  let scrubbed = message
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) scrubbed = scrubbed.split(secret).join(REDACTED)
  if (scrubbed === message) return error
  const out = new Error(scrubbed)
  out.name = name
  return out
}

/** The texts of `value` that `redacted` (its redacted copy, sharing what was not redacted) replaced. */
function collect(value: unknown, redacted: unknown, out: Set<string>, depth: number): void {
  if (value === redacted || out.size >= MAX_SECRETS || depth > 64) return
  if (redacted === REDACTED) return leaves(value, out, depth)
  if (typeof value !== 'object' || value === null || typeof redacted !== 'object' || redacted === null) return
  for (const key of Object.keys(redacted)) collect((value as Record<string, unknown>)[key], (redacted as Record<string, unknown>)[key], out, depth + 1)
}

/** Every string and number in a redacted value. */
function leaves(value: unknown, out: Set<string>, depth: number): void {
  if (out.size >= MAX_SECRETS || depth > 64) return
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value)
    if (text.length >= MIN_SECRET && text !== REDACTED) out.add(text)
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) leaves((value as Record<string, unknown>)[key], out, depth + 1)
  }
}
