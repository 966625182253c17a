import type { Recording } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { entryText } from '../recorder/lines'

/**
 * Encodes a `Recording` as JSONL text (format v1): the header, every entry, then `@@end` if the
 * recording has one, each line written by the recorder's own line writer (`entryText`), so a
 * recording read from a log the recorder wrote encodes to the same bytes. Each line ends with `\n`.
 */
export function encodeRecording(recording: Recording): string {
  if (typeof recording !== 'object' || recording === null || typeof recording.header !== 'object' || !Array.isArray(recording.entries)) {
    throw new TypeError('[redux-flight-recorder] Expected a Recording ({ header, entries, end?, warnings }). Instead, received something else.')
  }
  let out = ''
  let line = 1
  const unhashed = recording.header?.hash_alg === 'none'
  try {
    out = entryText(recording.header) + '\n'
    for (const entry of recording.entries) {
      line++
      out += entryText(entry, unhashed) + '\n'
    }
    if (recording.end) {
      line++
      out += entryText(recording.end, unhashed) + '\n'
    }
  } catch (error) {
    // A value nested deeper than JSON.stringify can recurse (JSON.parse reads deeper than that),
    // a BigInt or a cycle put into a Recording by hand.
    throw new FlightRecorderError(
      'unencodable',
      `Line ${line} of the recording cannot be encoded as JSON: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    )
  }
  return out
}
