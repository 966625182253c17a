import type { Recording } from './types'

/**
 * Encodes a `Recording` as JSONL text (format v1): the header, every entry, then `@@end` if the
 * recording has one. Each line ends with `\n`.
 */
export function encodeRecording(recording: Recording): string {
  if (typeof recording !== 'object' || recording === null || typeof recording.header !== 'object' || !Array.isArray(recording.entries)) {
    throw new TypeError('[redux-flight-recorder] Expected a Recording ({ header, entries, end?, warnings }). Instead, received something else.')
  }
  let out = JSON.stringify(recording.header) + '\n'
  for (const entry of recording.entries) out += JSON.stringify(entry) + '\n'
  if (recording.end) out += JSON.stringify(recording.end) + '\n'
  return out
}
