/**
 * What stands between a missed target and the measurement, for BENCHMARKS.md. Written from the
 * profiles and experiments of the performance work (issue 7); each note is printed only when its
 * target is missed in the run at hand.
 */
const NOTES = {
  dispatch: 'TODO',
  cpu: 'TODO',
  'replay-rate': 'TODO',
  'replay-ratio': 'TODO',
  memory: 'TODO',
  size: 'TODO',
}

export function notesFor(missed) {
  const out = []
  const ids = [...new Set(missed.map((t) => t.id))]
  for (const id of ids) {
    const which = missed.filter((t) => t.id === id).map((t) => `${t.what} ${t.text}, ${t.by}`)
    out.push(`### ${which.join('; ')}`, '', NOTES[id], '')
  }
  return out
}
