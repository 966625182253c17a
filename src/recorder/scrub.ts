import { applyRedaction, REDACTED, type Redactor } from '../redact'
import { errorParts } from '../internal/errorText'
import { toJsonForm } from '../internal/toJsonForm'

/** Redacted texts shorter than this are left in messages (a flag, a digit: too likely by chance). */
const MIN_SECRET = 4
/** Values looked at, at most (the walk of the state's redacted paths, on the failure path). */
const MAX_VISITS = 100_000

/**
 * The error a reducer threw, as its line gives it: its message with each text found under a
 * redacted path of the state it was given or of the action (as the log writes them: through
 * `toJSON`) replaced by `"[redacted]"` (a reducer that throws ``new Error(`bad token ${s.token}`)``
 * would otherwise put the token in the log). The error itself when nothing is to be replaced. Runs
 * on the failure path only.
 */
export function scrubThrown(error: unknown, state: unknown, stateRedactor: Redactor | null, action: unknown, actionRedactor: Redactor | null): unknown {
  if (!stateRedactor && !actionRedactor) return error
  const { name, message } = errorParts(error)
  const found = new Set<string>()
  const walk = { message, found, visits: 0 }
  try {
    if (stateRedactor) collect(state, applyRedaction(state, stateRedactor), '', walk)
    if (actionRedactor) collect(action, applyRedaction(action, actionRedactor), '', walk)
  } catch {
    // (a getter that throws, a value too deep: what was found is replaced)
  }
  if (found.size === 0) return error
  // One pass, longest first: a secret inside another, or inside "[redacted]", is not replaced twice.
  const pattern = new RegExp([...found].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
  const out = new Error(message.replace(pattern, REDACTED))
  out.name = name
  return out
}

interface Walk {
  message: string
  found: Set<string>
  visits: number
}

/** The texts of `value` (as JSON writes it) that `redacted`, its redacted copy, replaced, and that the message holds. */
function collect(value: unknown, redacted: unknown, key: string, walk: Walk): void {
  if (value === redacted || ++walk.visits > MAX_VISITS) return
  value = toJsonForm(value, key)
  if (redacted === REDACTED) return leaves(value, walk)
  if (typeof value !== 'object' || value === null || typeof redacted !== 'object' || redacted === null) return
  for (const k of Object.keys(redacted)) collect((value as Record<string, unknown>)[k], (redacted as Record<string, unknown>)[k], k, walk)
}

/** Every string and number in a redacted value that the message holds. */
function leaves(value: unknown, walk: Walk): void {
  if (++walk.visits > MAX_VISITS) return
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value)
    if (text.length >= MIN_SECRET && walk.message.includes(text)) walk.found.add(text)
  } else if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) leaves(toJsonForm((value as Record<string, unknown>)[k], k), walk)
  }
}
