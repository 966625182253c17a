import type { Reducer } from 'redux'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { openEndNote } from '../../src/internal/openEnd'

/**
 * The panel's summary of a log that replays on `reducer` with every hash matching: its steps, each
 * matching its own recorded hash, and the full states compared besides — counted here from the log
 * (the checkpoints after the first action, except the rebasing ones, and `@@end`), and required to
 * add up to the replayer's `checked`, so the sentence says what the replayer really checked.
 */
export function verifiedSummary(log: string, reducer: Reducer): string {
  const recording = parseRecording(log)
  const steps = recording.entries.filter((e) => 'action' in e)
  const first = steps[0]?.seq ?? Infinity
  const checkpoints = recording.entries.filter((e) => e.kind === '@@checkpoint' && e.seq > first && !['resume', 'devtools'].includes(String((e as { reason?: unknown }).reason)))
  const full = checkpoints.length + (recording.end && 'state' in recording.end ? 1 : 0)
  const result = replay(log, { reducer })
  if (!result.verified) throw new Error(`[redux-flight-recorder] expected a log that replays verified on the reducer given, but it did not: ${JSON.stringify(result.divergence ?? result.stopped)}`)
  if (result.checked !== steps.length + full) throw new Error(`[redux-flight-recorder] expected the replayer to check ${steps.length} step hashes and ${full} full states (${steps.length + full} in all), but it checked ${result.checked}.`)
  // A log without @@end (a page still recording) gets the panel's note that its tail may be missing.
  const lastSeq = recording.entries.at(-1)?.seq
  const note = recording.end ? '' : ` ${openEndNote('', lastSeq === undefined ? '{}' : `{"seq":${lastSeq}}`, [])}`
  return `✓ Verified: ${steps.length} steps replayed, each matching its recorded state hash${full > 0 ? `; ${full} full state${full === 1 ? '' : 's'} (checkpoints, @@end) matched too` : ''}.${note}`
}
