import { safeString } from '../errors'
import type { Divergence, DivergenceReason, ReplayResult } from './replay'

const MAX_VALUE_CHARS = 120

function show(value: unknown): string {
  if (value === undefined) return '(missing)'
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    // Nested too deep for JSON.stringify (and for String, which safeString survives).
    text = safeString(value)
  }
  return text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS - 1) + '…' : text
}

const WHAT: Record<DivergenceReason, string> = {
  'hash-mismatch': 'the replayed state hashes differently from the recorded one',
  'state-mismatch': 'the replayed state differs from the recorded one',
  'reducer-threw': 'the reducer threw',
  'non-recordable': "the log could not carry some of the action's values and `onNonRecordable` is 'fail'",
  'adapter-threw': 'the replay adapter or the `onNonRecordable` function threw',
  'hash-threw': 'the replayed state could not be hashed',
}

/**
 * The one text rendering of a divergence, shared by the test helpers and the command line.
 * Accepts a `Divergence` or a whole `ReplayResult` (which also covers a stopped or clean replay,
 * and names the session).
 *
 * @example
 * const result = replay(log, { reducer })
 * if (!result.ok) console.error(formatDivergence(result))
 */
export function formatDivergence(input: Divergence | ReplayResult): string {
  if ('ok' in input && 'steps' in input) {
    const result = input
    const session = result.header ? `  session:       ${result.header.session}${result.header.ts ? ` (recorded ${result.header.ts})` : ''}` : ''
    if (result.divergence) return formatDivergence(result.divergence) + (session ? '\n' + session : '')
    if (result.stopped) return `Replay stopped at seq ${result.stopped.seq}: ${result.stopped.reason}` + (session ? '\n' + session : '')
    const skipped = result.skipped ? `, ${result.skipped} skipped` : ''
    return `Replay ok: ${result.steps} steps${skipped}, ${result.checked} checks${result.verified ? '' : ' (not every step was hash-checked)'}.`
  }
  const d = input as Divergence
  const lines: string[] = []
  const where = d.action === null || d.action === undefined ? `at ${d.kind}` : `action '${d.kind}'`
  const what = WHAT[d.reason] ?? 'the replay did not reach the recorded state'
  lines.push(`Replay diverged at seq ${d.seq}${d.turn ? ` (turn ${d.turn})` : ''}, ${where}: ${what}.`)
  if (d.action !== null && d.action !== undefined) lines.push(`  action:        ${show(d.action)}`)
  if (d.error) lines.push(`  ${(d.reason === 'reducer-threw' ? 'reducer threw:' : 'error:').padEnd(15)}${d.error.name}: ${d.error.message}`)
  if (d.reason === 'hash-mismatch' || (d.reason === 'state-mismatch' && (d.expectedHash !== null || d.actualHash !== null))) {
    lines.push(`  expected hash: ${d.expectedHash ?? '(none)'} (recorded)`)
    lines.push(`  actual hash:   ${d.actualHash ?? '(none)'} (replayed)`)
  }
  if (d.omitted && d.omitted.length > 0) {
    lines.push('  values the log could not carry:')
    for (const o of d.omitted) lines.push(`    ${o.path}: ${o.kind}${o.detail !== undefined ? ` (${safeString(o.detail)})` : ''}`)
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`)
  if (d.diff && d.diff.length > 0) {
    lines.push(`  state differences at seq ${d.diffAtSeq}${d.diffAt ? ` (${d.diffAt})` : ''}, recorded → replayed:`)
    for (const diff of d.diff) lines.push(`    ${diff.path}: ${show(diff.recorded)} → ${show(diff.replayed)}`)
    if (d.diffTruncated) lines.push(`    … and more (the first ${d.diff.length} are shown)`)
  }
  if (d.diffNote) lines.push(`  ${d.diffNote}`)
  return lines.join('\n')
}
