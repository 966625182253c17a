import { lineSeq } from './lineSeq'
import { plural } from './plural'

/** Whether `line` is a log's `@@end` line (the recorder writes `kind` first; other key orders are parsed). */
export function isEndLine(line: string): boolean {
  if (line.startsWith('{"kind":"@@end"')) return true
  if (!line.includes('"@@end"')) return false
  try {
    const v = JSON.parse(line) as Record<string, unknown> | null
    return typeof v === 'object' && v !== null && v.kind === '@@end' && !Object.prototype.hasOwnProperty.call(v, 'action')
  } catch {
    return false
  }
}

/**
 * The `@@lifecycle` exit entry (`{"event":"exit","code":0}`, written by `recordProcessLifecycle`
 * as the process exits, after everything before it) that `line` is, if it is one.
 */
function exitLifecycle(line: string): { code?: number; signal?: string } | undefined {
  return line.includes('"exit"') || line.includes('"signal"') ? processEnd(lifecycleBody(line)) : undefined
}

/** The body of the `@@lifecycle` entry `line` is, if it is one. */
function lifecycleBody(line: string): unknown {
  if (!line.includes('"@@lifecycle"')) return undefined
  try {
    const v = JSON.parse(line) as Record<string, unknown> | null
    return typeof v === 'object' && v !== null && v.kind === '@@lifecycle' ? v.body : undefined
  } catch {
    return undefined
  }
}

/**
 * How the process ended, from a `@@lifecycle` entry's body, when it is `recordProcessLifecycle`'s
 * exit entry (`code`) or signal entry (`signal`: every line before it was written synchronously,
 * then the signal ended the process, or the app's own handler did, without closing the recorder).
 */
export function processEnd(body: unknown): { code?: number; signal?: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const b = body as { event?: unknown; code?: unknown; signal?: unknown }
  if (b.event === 'signal' && typeof b.signal === 'string') return { signal: b.signal }
  if (b.event === 'exit') return typeof b.code === 'number' ? { code: b.code } : {}
  return undefined
}

/** Whether `line` is a `@@checkpoint` the recorder wrote with reason `'snapshot'` (`toJSONL`/`snapshot`: a "Report a problem" file, a download). */
export function isSnapshotCheckpoint(line: string): boolean {
  if (!line.includes('"@@checkpoint"') || !line.includes('"snapshot"')) return false
  // The recorder writes the reason (and the hash) after the state: read the line's end, so a
  // large state is not parsed again; other key orders are parsed.
  if (/^\{"seq":\d+,[^{]*"kind":"@@checkpoint","state":/.test(line.slice(0, 200))) return /,"reason":"snapshot"(?:,"hash":(?:"[^"\\]*"|null))?\}$/.test(line)
  try {
    const v = JSON.parse(line) as Record<string, unknown> | null
    return typeof v === 'object' && v !== null && v.kind === '@@checkpoint' && v.reason === 'snapshot'
  } catch {
    return false
  }
}

/** What readers say of a snapshot of a running session that holds what was recorded up to `seq`. */
export function snapshotNote(seq: number | undefined): string {
  return `This log is a snapshot of a running session (it ends with the snapshot's checkpoint, not @@end): it holds what was recorded up to ${seq === undefined ? 'the header' : `seq ${seq}`}; the recorder went on recording after it.`
}

/** A warning that entries are missing (a seq gap, a `@@dropped`): src/format/types.ts `INCOMPLETE`, less a cut line or an unwritable state. */
const MISSING = /(?:are|is) missing/

/**
 * What readers say of a log whose last two lines are `before` and `last`, when the last whole one
 * is not `@@end`: the recorder was not closed, so what it recorded after that line is not in the
 * log (a tab closed before its last batch reached the collector, a process killed, or a recorder
 * still writing). A log whose last entry is the process's exit `@@lifecycle` is said to have
 * exited without closing the recorder, not to be cut: that entry is written after every line
 * before it. A last line cut short or not JSON (the reader's `warnings` say so) was left out: the
 * line before it is the log's last. `undefined` for a log that ends with `@@end`. `buffer`: the log is
 * the recorder's buffer (`toJSONL`/`snapshot`: its header has no `sink`), so a last `'snapshot'`
 * checkpoint makes it a snapshot of a running session; a sink's log ending with one is a session
 * that stopped after a snapshot (the checkpoint goes to the sinks too).
 */
export function openEndNote(before: string, last: string, warnings: readonly string[], buffer = false): string | undefined {
  const whole = warnings.some((w) => w.includes('; it was left out')) ? before : last
  if (isEndLine(whole)) return undefined
  const seq = lineSeq(whole)
  const exit = exitLifecycle(whole)
  if (exit) {
    const upTo = `up to the ${exit.signal === undefined ? 'exit' : 'signal'}${seq === undefined ? '' : ` (seq ${seq})`}`
    // Entries a gap or a `@@dropped` says are missing are not in it, whatever the ending.
    const missing = warnings.some((w) => MISSING.test(w))
    const ended = exit.signal === undefined ? `exited${exit.code === undefined ? '' : ` (code ${exit.code})`}` : `received ${exit.signal}`
    // (After a signal the process may have gone on, its own listener deciding, and recorded more.)
    const after = exit.signal === undefined ? '' : ' (anything recorded after it, if the process went on, is not)'
    return `The log ends without @@end: the process ${ended} without closing the recorder; ${missing ? `the log goes on ${upTo}, but the entries the warnings name are missing from it` : `everything it recorded ${upTo} is in the log${after}`}.`
  }
  // A snapshot of a running session (a "Report a problem" file, a download) ends with its checkpoint.
  if (buffer && isSnapshotCheckpoint(whole)) return snapshotNote(seq)
  // A page left (recordPageLifecycle's `pagehide` entry, last, or followed by the page hidden, as
  // it is written with what was pending when the page was left): said as the panel says it of a
  // session whose page was left (src/panel/timeline.ts `endingNote`).
  const left = pageHide(whole) ? seq : whole === last && lifecycleEvent(whole) === 'visibilitychange' && pageHide(before) ? lineSeq(before) : undefined
  if (left !== undefined) return pageLeftNote(`seq ${left}`, warnings.some((w) => MISSING.test(w)) ? 'entries pending then were not all stored (the warnings name them).' : undefined)
  return `The log ends without @@end, so it may be incomplete: the recorder was not closed (a page closed before its last lines were sent, a process killed, or a recorder still writing), and whatever it recorded after ${seq === undefined ? 'the header' : `seq ${seq}`} is not in it.`
}

/** What readers say of a session that ended when its page was left, after `upTo`; `missing`: what was not stored. */
export function pageLeftNote(upTo: string, missing?: string): string {
  return `The session ended when the page was left (a reload, a closed tab), after ${upTo}: ${missing ?? 'everything recorded up to then was stored.'}`
}

/** The `event` of the `@@lifecycle` entry `line` is, if it is one. */
function lifecycleEvent(line: string): unknown {
  const body = lifecycleBody(line)
  return typeof body === 'object' && body !== null ? (body as { event?: unknown }).event : undefined
}

/** Whether `line` is recordPageLifecycle's `pagehide` entry. */
const pageHide = (line: string): boolean => line.includes('"pagehide"') && lifecycleEvent(line) === 'pagehide'

/**
 * What readers say of a log that starts after its session did (`from_seq` above 1: the recorder's
 * bounded buffer let its first entries go, a collector past `maxSessionBytes` kept a long session's
 * newest part, a rotated file, a sink added later), as a clause (`verify` prints it after `note: `,
 * the panel's timeline in its summary); `undefined` for a log from seq 1.
 */
export function startNote(header: { from_seq: number; trimmed?: number }): string | undefined {
  const from = header.from_seq
  if (!(from > 1)) return undefined
  const trimmed = header.trimmed
  return `the log starts at seq ${from}, from the state there: the session's first ${plural(from - 1, 'entry', 'entries')} are not in it (${typeof trimmed === 'number' && trimmed > 0 ? `the recorder's bounded buffer had let ${plural(trimmed, 'entry', 'entries')} go` : "a collector that kept a long session's newest part, a rotated file, a sink added later, or lines its sink dropped: a @@dropped entry then says how many"})`
}
