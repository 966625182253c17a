import type { FlightRecorder, Recording } from 'redux-flight-recorder'
import { encodeRecording } from '../format/index.js'

/** How long the object URL stays valid: some browsers start reading it after `click()` returns. */
const REVOKE_AFTER_MS = 40_000

/**
 * Saves the recorder's in-memory buffer (the current session, bounded by `maxEntries` and
 * `maxBytes`) as a `.jsonl` file, for a devtools button. Also takes a `Recording` (e.g. one that
 * `loadFromIndexedDb` returned) or JSONL text. Returns the file name used.
 *
 * @example
 * <button onClick={() => downloadRecording(recorder)}>Download session</button>
 */
export function downloadRecording(source: FlightRecorder | Recording | string, filename?: string): string {
  const { text, session } = jsonlOf(source)
  if (filename !== undefined && (typeof filename !== 'string' || filename.trim() === '')) {
    throw new TypeError(`[redux-flight-recorder] Expected \`filename\` to be a non-empty string. Instead, received: ${JSON.stringify(filename) ?? String(filename)}.`)
  }
  const doc = (globalThis as { document?: Document }).document
  if (!doc || typeof URL === 'undefined' || typeof URL.createObjectURL !== 'function' || typeof Blob === 'undefined') {
    throw new Error('[redux-flight-recorder] downloadRecording needs a browser page: it creates a link to a Blob and clicks it. In Node, write `recorder.toJSONL()` to a file instead.')
  }
  const name = fileName(filename, session)
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }))
  const link = doc.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  link.style.display = 'none'
  // Firefox only follows links that are in the document.
  ;(doc.body ?? doc.documentElement).appendChild(link)
  try {
    link.click()
  } finally {
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS)
  }
  return name
}

function jsonlOf(source: FlightRecorder | Recording | string): { text: string; session: string } {
  if (typeof source === 'string') {
    const m = /"session":("(?:[^"\\]|\\.)*")/.exec(source.slice(0, source.indexOf('\n') >>> 0))
    return { text: source.endsWith('\n') || source === '' ? source : source + '\n', session: m ? (JSON.parse(m[1]) as string) : 'log' }
  }
  if (source && typeof (source as FlightRecorder).toJSONL === 'function') {
    const recorder = source as FlightRecorder
    return { text: recorder.toJSONL({ finalState: true }), session: recorder.session }
  }
  if (source && typeof source === 'object' && typeof (source as Recording).header === 'object' && Array.isArray((source as Recording).entries)) {
    const recording = source as Recording
    return { text: encodeRecording(recording), session: String(recording.header.session) }
  }
  throw new TypeError(
    '[redux-flight-recorder] Expected a recorder from createFlightRecorder(), a Recording or JSONL text as the first argument of downloadRecording.',
  )
}

function fileName(filename: string | undefined, session: string): string {
  if (filename !== undefined) {
    // Path separators and characters Windows rejects would make the browser rename the file.
    const safe = filename.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    return /\.jsonl$/i.test(safe) ? safe : safe + '.jsonl'
  }
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
  return `session-${session.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 8) || 'log'}-${stamp}.jsonl`
}
