import { applyRedaction, REDACTED, type Redactor } from '../redact'
import { errorParts } from '../internal/errorText'
import { toJsonForm } from '../internal/toJsonForm'
import { escapeRegExp } from '../internal/escapeRegExp'

/**
 * Redacted texts shorter than this are replaced only as whole words (a CVV `123` in "cvv 123 does
 * not match", not the digits of "1234"); a single character is left (a flag, a digit: too likely
 * by chance).
 */
const MIN_SECRET = 4
/** Values looked at, at most (the walk of the state's redacted paths, on the failure path). */
const MAX_VISITS = 100_000

/**
 * `texts` with each text found under a redacted path of `state` or of `actions` (as the log writes
 * them: through `toJSON`) replaced by `"[redacted]"`; `texts` itself when nothing is to be replaced.
 * One walk for all of them (an uncaught error's message and stack); each value is walked on its
 * own: one that throws as it is read leaves the others looked at.
 */
export function scrubTexts(texts: readonly string[], state: unknown, stateRedactor: Redactor | null, actions: readonly unknown[], actionRedactor: Redactor | null): readonly string[] {
  const walk: Walk = { message: texts.join('\n'), found: new Set<string>(), visits: 0 }
  const look = (value: unknown, redactor: Redactor) => {
    try {
      collect(value, applyRedaction(value, redactor), '', walk)
    } catch {
      // (a getter that throws, a value too deep: what was found is replaced)
    }
  }
  if (stateRedactor) look(state, stateRedactor)
  if (actionRedactor) for (const action of actions) look(action, actionRedactor)
  if (walk.found.size === 0) return texts
  const found = [...walk.found].sort((a, b) => b.length - a.length)
  const long = found.filter((s) => s.length >= MIN_SECRET).map(escapeRegExp).join('|')
  const short = found.filter((s) => s.length < MIN_SECRET).map(escapeRegExp).join('|')
  return texts.map((text) => {
    // One pass, longest first: a secret inside another, or inside "[redacted]", is not replaced twice.
    if (long) text = text.replace(new RegExp(long, 'g'), REDACTED)
    // (No word character on either side; none of "[redacted]"'s short pieces is one. Not a stack
    // frame's line or column, `app.js:34:12`: a secret of two or three digits would hit them.)
    if (short) {
      text = text.replace(new RegExp(`(^|\\W)(?:${short})(?!\\w)`, 'g'), (m: string, pre: string, at: number, all: string) =>
        pre === ':' && (all[at + m.length] === ':' || /:\d+:$/.test(all.slice(0, at + 1))) ? m : pre + REDACTED,
      )
    }
    return text
  })
}

/**
 * The error a reducer threw, as its line gives it: its message with each text found under a
 * redacted path of the state it was given or of the action replaced by `"[redacted]"` (a reducer
 * that throws ``new Error(`bad token ${s.token}`)`` would otherwise put the token in the log). The
 * error itself when nothing is to be replaced. Runs on the failure path only.
 */
export function scrubThrown(error: unknown, state: unknown, stateRedactor: Redactor | null, action: unknown, actionRedactor: Redactor | null): unknown {
  if (!stateRedactor && !actionRedactor) return error
  const { name, message } = errorParts(error)
  const scrubbed = scrubTexts([message], state, stateRedactor, [action], actionRedactor)[0]
  if (scrubbed === message) return error
  const out = new Error(scrubbed)
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
  for (const k of Object.keys(redacted)) {
    try {
      collect((value as Record<string, unknown>)[k], (redacted as Record<string, unknown>)[k], k, walk)
    } catch {
      // (a getter or toJSON that throws: its siblings, a secret after it, are still looked at)
    }
  }
}

/** Every string and number in a redacted value that the message holds. */
function leaves(value: unknown, walk: Walk): void {
  if (++walk.visits > MAX_VISITS) return
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value)
    if (text.length > 1 && walk.message.includes(text)) walk.found.add(text)
  } else if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) leaves(toJsonForm((value as Record<string, unknown>)[k], k), walk)
  }
}
