import type { EndEntry, Entry, Recording, RecordingHeader } from './types'

/**
 * Reads JSONL that the recorder has just written itself (`recorder.snapshot()`): a header, entries
 * with consecutive `seq`, maybe `@@end`. Each line is JSON-parsed and completed with the defaults
 * `parseRecording` fills in, giving the same `Recording` that `parseRecording(text)` gives for it,
 * without the validating parser (and its messages), which would otherwise ship in every app that
 * records. Logs from anywhere else go through `parseRecording`.
 */
export function readOwnLog(text: string): Recording {
  const lines = text.split('\n')
  const entries: Entry[] = []
  let header: RecordingHeader | undefined
  let end: EndEntry | undefined
  // The text ends with '\n': the last item is empty.
  for (let i = 0; i < lines.length - 1; i++) {
    // The recorder writes every line as JSON (a value it cannot write becomes `null` with an
    // `unwritable` note), so a parse error here is a bug, and it surfaces as the SyntaxError it is.
    const v = JSON.parse(lines[i]) as Record<string, unknown>
    const special = !Object.prototype.hasOwnProperty.call(v, 'action')
    // A recorder with `hash: false` writes these without `hash`; readers give `null`.
    if (special && (v.kind === '@@checkpoint' || v.kind === '@@end') && v.hash === undefined) v.hash = null
    if (!header) header = v as RecordingHeader
    else if (special && v.kind === '@@end') end = v as EndEntry
    else entries.push(v as Entry)
  }
  const recording: Recording = { header: header!, entries, warnings: [] }
  if (end) recording.end = end
  return recording
}
