import type { FlightRecorder } from 'redux-flight-recorder'

/**
 * Downloads the recorder's in-memory buffer as a `.jsonl` file (a Blob and an object URL), for a
 * devtools button. Returns the file name used.
 *
 * @example
 * <button onClick={() => downloadRecording(recorder)}>Download session</button>
 */
export function downloadRecording(recorder: FlightRecorder, filename?: string): string {
  if (!recorder || typeof recorder.toJSONL !== 'function') {
    throw new TypeError('[redux-flight-recorder] Expected a recorder from createFlightRecorder() as the first argument of downloadRecording.')
  }
  if (typeof document === 'undefined' || typeof URL === 'undefined' || typeof Blob === 'undefined') {
    throw new Error('[redux-flight-recorder] downloadRecording needs a browser document (it creates a link to click).')
  }
  const name = filename ?? `session-${recorder.session.slice(0, 8)}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`
  const blob = new Blob([recorder.toJSONL()], { type: 'application/x-ndjson' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
  return name
}
