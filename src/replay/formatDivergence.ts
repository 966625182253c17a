import { safeString } from '../internal/errorText'
import { describeLossy } from '../lossy'
import { jsonLine } from '../internal/describe'
import { diffStates, firstDifferentChar, type StateDifference } from './diff'
import { BASE_QUERY_META_HINT, FOREIGN_HINT, INSTRUMENT_INIT_HINT, LIFTED_HINT, LOSSY_STEP_HINT, MAX_REDACTED_NAMED, omissionText, REDACTED_DECIDES, REDACTED_REHASH_HINT, REHASH_HINT, SETUP_HINTS, STORE_DISPATCHED_HINT, STORE_INIT_HINT } from './hints'
import { RTKQ_MIDDLEWARE_HINT } from './adapters'
import type { Divergence, DivergenceReason, ReplayResult } from './types'

const MAX_VALUE_CHARS = 120

/**
 * A value on one line, as JSON; `NaN` and `±Infinity` as themselves (JSON would write `null`), a
 * BigInt as one (`7n`: printed as `7` it would read as the number).
 */
const show = (value: unknown): string =>
  typeof value === 'number' && !Number.isFinite(value)
    ? `${String(value)} (null in JSON)`
    : typeof value === 'bigint'
      ? `${String(value)}n (BigInt)`
      : jsonLine(value, MAX_VALUE_CHARS, '(missing)')

/**
 * `recorded → replayed`. Two long strings that differ past what one value shows (a 200 KB string
 * whose last character changed) are shown around where they first differ, with their lengths:
 * otherwise both sides print as the same first 120 characters.
 */
function pair(a: unknown, b: unknown, cut?: StateDifference['shortened']): string {
  if (typeof a === 'string' && typeof b === 'string' && (cut?.at !== undefined || a.length > 100 || b.length > 100)) {
    // A report's long strings are already shortened: `from` is where they start.
    const base = cut?.from ?? 0
    const la = cut?.recordedLength ?? a.length
    const lb = cut?.replayedLength ?? b.length
    const i = cut?.at ?? firstDifferentChar(a, b)
    const lengths = ` (strings of ${la} and ${lb} characters, first different at character ${i})`
    if (i > 60) {
      const from = i - 30
      const near = (t: string, length: number) => `"…${JSON.stringify(t.slice(from - base, from - base + 60)).slice(1, -1)}${length > from + 60 ? '…' : ''}"`
      return `${near(a, la)} → ${near(b, lb)}${lengths}`
    }
    if (cut) return `${show(a)} → ${show(b)}${lengths}`
  }
  return `${show(a)} → ${show(b)}`
}

/** What the report calls the two sides: `recorded`/`replayed`, or phrases such as "the baseline's". */
interface Sides {
  recorded: string
  replayed: string
}

/**
 * A side's `noun` ("state", "step"): an adjective (`recorded`) goes after "the", a phrase of its own
 * ("the baseline's") stands before it as it is.
 */
const stateOf = (side: string, noun = 'state'): string => (side.startsWith('the ') ? '' : 'the ') + `${side} ${noun}`

/** A side as the other end of a comparison: "the recorded one", "the baseline's". */
const oneOf = (side: string): string => (side.startsWith('the ') ? side : `the ${side} one`)

const WHAT = (sides: Sides): Record<DivergenceReason, string> => ({
  'hash-mismatch': `${stateOf(sides.replayed)} hashes differently from ${oneOf(sides.recorded)}`,
  'state-mismatch': `${stateOf(sides.replayed)} differs from ${oneOf(sides.recorded)}`,
  'reducer-threw': 'the reducer threw',
  'non-recordable': "the log could not carry values the action needs, so it was not replayed",
  'adapter-threw': 'the replay adapter or the `onNonRecordable` function threw',
  'hash-threw': `${stateOf(sides.replayed)} could not be hashed`,
})

/** A label given to `formatDivergence` (a non-empty string), or the default. */
const sideLabel = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback)

/**
 * The one text rendering of a divergence, shared by the test helpers and the command line.
 * Accepts a `Divergence` or a whole `ReplayResult` (which also covers a stopped or clean replay,
 * and names the session).
 *
 * `options.labels` names the two sides where the report compares them: the states and hashes the
 * log holds (`recorded` by default) and those the replay reached (`replayed`), as in
 * `expected hash: … (recorded)`, `recorded → replayed` and "differs from the recorded one". A label
 * is an adjective (`'recorded'`) or a phrase of its own starting with "the " (`"the baseline's"`:
 * "differs from the baseline's", "the baseline's state"): for a log whose hashes were recomputed
 * with another reducer (`shrinkRecording`'s `baseline`), "recorded" is not what they are. Without
 * options the report is as it always was.
 *
 * @example
 * const result = replay(log, { reducer })
 * if (!result.ok) console.error(formatDivergence(result))
 * // A log rehashed with the fixed reducer, replayed on the broken one:
 * formatDivergence(result, { labels: { recorded: "the fixed reducer's" } })
 */
export function formatDivergence(input: Divergence | ReplayResult): string
export function formatDivergence(input: Divergence | ReplayResult, options: { labels?: { recorded?: string; replayed?: string } } | undefined): string
export function formatDivergence(input: Divergence | ReplayResult, options?: { labels?: { recorded?: string; replayed?: string } }): string {
  // (Not an object: `results.map(formatDivergence)` passes an index here; the first signature
  // keeps that call typed as it was.)
  const labels = (typeof options === 'object' && options?.labels) || {}
  const sides: Sides = { recorded: sideLabel(labels.recorded, 'recorded'), replayed: sideLabel(labels.replayed, 'replayed') }
  if ('ok' in input && 'steps' in input) {
    const result = input
    const session = result.header ? `  session:       ${result.header.session}${result.header.ts ? ` (recorded ${result.header.ts})` : ''}` : ''
    if (result.divergence) return formatDivergence(result.divergence, { labels: sides }) + (session ? '\n' + session : '')
    if (result.stopped) return `Replay stopped at seq ${result.stopped.seq}: ${result.stopped.reason}` + (session ? '\n' + session : '')
    const skipped = result.skipped ? `, ${result.skipped} skipped` : ''
    return `Replay ok: ${result.steps} steps${skipped}, ${result.checked} checks${result.verified ? '' : ' (not every step was hash-checked)'}.`
  }
  const d = input as Divergence
  const lines: string[] = []
  const where = d.action === null || d.action === undefined ? `at ${d.kind}` : `action '${d.kind}'`
  // Changed in place: the cached hash differed, the state hashed afresh is as recorded.
  const sameHash = d.mutatedInPlace !== undefined && d.actualHash !== null && d.actualHash === d.expectedHash
  const what = sameHash ? `the reducer changed the state in place (hashed afresh, it is as ${sides.recorded})` : WHAT(sides)[d.reason] ?? `the replay did not reach ${stateOf(sides.recorded)}`
  lines.push(`Replay diverged at seq ${d.seq}${d.turn ? ` (turn ${d.turn})` : ''}, ${where}: ${what}.`)
  if (d.action !== null && d.action !== undefined) lines.push(`  action:        ${show(d.action)}`)
  if (d.redacted && d.redacted.length > 0) lines.push(`  redacted:      ${d.redacted.join(', ')} (${d.redacted.length >= MAX_REDACTED_NAMED ? `the first ${MAX_REDACTED_NAMED}; ` : ''}replay gave the reducer "[redacted]" there, not the app's values)`)
  if (d.error) lines.push(`  ${(d.reason === 'reducer-threw' ? 'reducer threw:' : 'error:').padEnd(15)}${d.error.name}: ${d.error.message}`)
  if (d.reason === 'hash-mismatch' || (d.reason === 'state-mismatch' && (d.expectedHash !== null || d.actualHash !== null))) {
    lines.push(`  expected hash: ${d.expectedHash ?? '(none)'} (${sides.recorded})`)
    lines.push(`  actual hash:   ${d.actualHash ?? '(none)'} (${sides.replayed}${sameHash ? ', hashed afresh' : ''})`)
  }
  if (d.omitted && d.omitted.length > 0) {
    lines.push('  values the log could not carry:')
    for (const o of d.omitted) lines.push(`    ${omissionText(o)}`)
  }
  if (d.lossy && d.lossy.length > 0) {
    lines.push('  values the log holds in another form:')
    for (const l of d.lossy) lines.push(`    ${describeLossy(l, 'action')}`)
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`)
  if (d.step && d.step.length > 0) {
    lines.push(`  this step, ${sides.replayed} (before → after):`)
    for (const diff of realFirst(d.step)) lines.push(`    ${differenceLine(diff, d.step)}`)
    if (d.stepTruncated) lines.push(`    … and more (the first ${d.step.length} are shown)`)
  } else if (d.step && d.reason === 'hash-mismatch') lines.push(`  this step, ${sides.replayed}: changed nothing`)
  if (d.stepDiff && d.stepDiff.length > 0) {
    lines.push(`  this step, ${sides.recorded} → ${sides.replayed}:`)
    for (const s of d.stepDiff) {
      if (s.history) {
        lines.push(`    ${s.path}: undo history ${s.recordedKnown ? `of ${historyLength(s.recorded)} states` : 'changed otherwise'} → ${historyLength(s.replayed)} states (not shown)`)
        continue
      }
      if (s.element || s.reordered) {
        lines.push(`    ${differenceLine(s as StateDifference, [])}`)
        continue
      }
      const recorded = s.recordedKnown ? show(s.recorded) : `(another value, hash ${s.recordedHash})`
      lines.push(`    ${s.path}: ${s.recordedKnown ? pair(s.recorded, s.replayed, s.shortened) : `${recorded} → ${show(s.replayed)}`}${s.replayedUnchanged ? ` (left unchanged by ${stateOf(sides.replayed, 'step')})` : ''}`)
    }
  }
  if (d.stepNote) lines.push(`  ${d.stepNote}`)
  if (d.diff && d.diff.length > 0) {
    lines.push(`  state differences at seq ${d.diffAtSeq}${d.diffAt ? ` (${d.diffAt})` : ''}, ${sides.recorded} → ${sides.replayed}:`)
    for (const diff of realFirst(d.diff)) lines.push(`    ${differenceLine(diff, d.diff)}`)
    if (d.diffTruncated) lines.push(`    … and more (the first ${d.diff.length} are shown)`)
  }
  if (d.diffNote) lines.push(`  ${d.diffNote}`)
  if (d.nondeterministic) {
    lines.push('  the reducer is not deterministic at this action: run again on the same state (clock shifted, Math.random reseeded), it gave another state (first run → second run):')
    for (const diff of d.nondeterministic) lines.push(`    ${differenceLine(diff, d.nondeterministic)}`)
    lines.push("  Put such values in the action (e.g. a `prepare` callback); the recorder's `checkDeterminism: true` option reports this while recording.")
  }
  // (A log of DevTools' lifted store is not the app's: rehashing it would not make it one; nor
  // would it give the log RTK Query's baseQueryMeta, or make a reducer that mutates its state right,
  // or keep the replay store's RTK Query middleware from acting, or set the replay up as the app was,
  // or keep Redux's INIT action from reaching a store built from a state replay starts over from,
  // or make another app's reducer this log's.)
  // (Such hints by their whole text, or by how they start.)
  const hint = d.hint
  // (Nor would it tell the app's redacted values from the placeholder replay dispatched: a step
  // shown to depend on them gets no advice to update; another step with redacted values, advice
  // that says so, without -u.)
  const notMended =
    hint !== undefined &&
    ([...SETUP_HINTS, LIFTED_HINT, INSTRUMENT_INIT_HINT, BASE_QUERY_META_HINT].includes(hint) ||
      [RTKQ_MIDDLEWARE_HINT, LOSSY_STEP_HINT, STORE_DISPATCHED_HINT, STORE_INIT_HINT, FOREIGN_HINT].some((start) => hint.startsWith(start)) ||
      hint.includes(REDACTED_DECIDES))
  if (!d.nondeterministic && !d.mutatedInPlace && !notMended && (d.reason === 'hash-mismatch' || d.reason === 'state-mismatch')) {
    lines.push(d.redacted && d.redacted.length > 0 ? REDACTED_REHASH_HINT : REHASH_HINT)
  }
  return lines.join('\n')
}

/** Real changes first; undo histories (whole earlier states) after them. */
function realFirst(diffs: StateDifference[]): StateDifference[] {
  return [...diffs.filter((x) => !x.history), ...diffs.filter((x) => x.history)]
}

function differenceLine(diff: StateDifference, all: StateDifference[]): string {
  if (diff.element) return `${diff.path}: ${diff.element} ${show(diff.element === 'inserted' ? diff.replayed : diff.recorded)}`
  if (!diff.history) return `${diff.path}: ${pair(diff.recorded, diff.replayed, diff.shortened)}${diff.reordered ? ` (the same ${diff.reordered} elements from here on, in another order)` : ''}`
  // Only undo histories differ: where, or the report would show no difference at all.
  const where = all.every((x) => x.history) ? firstInside(diff) : ' (not shown)'
  return `${diff.path}: undo history of ${historyLength(diff.recorded)} → ${historyLength(diff.replayed)} states${where}`
}

/** Where two undo histories first differ (the whole earlier states are not shown): `, first at path: a → b`. */
function firstInside(diff: StateDifference): string {
  const [first] = Array.isArray(diff.recorded) && Array.isArray(diff.replayed) ? diffStates(diff.recorded, diff.replayed, 1) : []
  if (first === undefined || first.history) return ' (not shown)'
  return ` (not shown), first at ${diff.path}.${first.path}: ${show(first.recorded)} → ${show(first.replayed)}`
}

function historyLength(v: unknown): string {
  return Array.isArray(v) ? String(v.length) : v === undefined ? '(missing)' : show(v)
}
