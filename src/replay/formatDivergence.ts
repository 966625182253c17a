import type { Divergence, ReplayResult } from './replay'

const MAX_VALUE_CHARS = 120

function show(value: unknown): string {
  if (value === undefined) return '(missing)'
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS - 1) + '…' : text
}

/**
 * The one text rendering of a divergence, shared by the test helpers and the command line.
 * Accepts a `Divergence` or a whole `ReplayResult` (which also covers a stopped replay).
 */
export function formatDivergence(input: Divergence | ReplayResult): string {
  if ('ok' in input && 'steps' in input) {
    const result = input
    if (result.divergence) return formatDivergence(result.divergence)
    if (result.stopped) return `Replay stopped at seq ${result.stopped.seq}: ${result.stopped.reason}`
    return `Replay ok: ${result.steps} steps, ${result.checked} hashes checked${result.verified ? '' : ' (not fully verified)'}.`
  }
  const d = input as Divergence
  const lines: string[] = []
  const where = d.action === null ? `at ${d.kind}` : `action '${d.kind}'`
  lines.push(`Replay diverged at seq ${d.seq}${d.turn ? ` (turn ${d.turn})` : ''}, ${where}.`)
  if (d.action !== null && d.action !== undefined) lines.push(`  action:        ${show(d.action)}`)
  if (d.error) {
    lines.push(`  reducer threw: ${d.error.name}: ${d.error.message}`)
  } else {
    lines.push(`  expected hash: ${d.expectedHash ?? '(none)'}`)
    lines.push(`  actual hash:   ${d.actualHash ?? '(none)'}`)
  }
  if (d.omitted && d.omitted.length > 0) {
    lines.push('  values the log could not carry:')
    for (const o of d.omitted) lines.push(`    ${o.path}: ${o.kind}${o.detail !== undefined ? ` (${o.detail})` : ''}`)
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`)
  if (d.diff && d.diff.length > 0) {
    lines.push(`  state differences at seq ${d.diffAtSeq} (recorded → replayed):`)
    for (const diff of d.diff) lines.push(`    ${diff.path}: ${show(diff.recorded)} → ${show(diff.replayed)}`)
  } else if (d.diff && d.diff.length === 0) {
    lines.push(`  the states at seq ${d.diffAtSeq} compare equal as JSON (the difference is only in the hash input, e.g. \`serializeState\` or redaction).`)
  }
  if (d.diffNote && !(d.diff && d.diff.length > 0 && d.diffNote.startsWith('State compared'))) lines.push(`  ${d.diffNote}`)
  return lines.join('\n')
}
