import type { Middleware } from 'redux'
import { readOwnLog } from '../format/readOwnLog'
import { describe } from '../internal/describe'
import { wholeStatePath } from '../redact'
import type { Recorder } from './recorder'
import { scrubText } from './scrub'
import type { FlightRecorder } from './types'

/** A mark's label, a lifecycle event's name (checked in development). */
export const expectString = (what: string, value: unknown): void => {
  if (typeof value !== 'string') throw new TypeError(`[redux-flight-recorder] Expected the ${what} to be a string. Instead, received: ${describe(value)}.`)
}


/** The last actions (and other entries) the buffer holds, newest first, at most 16. */
function recent(rec: Recorder): unknown[] {
  const { ring } = rec
  const out: unknown[] = []
  for (let seq = ring.nextSeq - 1; seq >= ring.firstSeq && out.length < 16; seq--) out.push(ring.refs[ring.index(seq)])
  return out
}

/**
 * The public face of a `Recorder` (the `api` of `createFlightRecorder`, and what the shell of a
 * lazily loaded recorder hands its calls to once the core has arrived).
 */
export function recorderApi(rec: Recorder, enhancer: FlightRecorder['enhancer'], middleware: Middleware): FlightRecorder {
  const settings = rec.settings
  if (process.env.NODE_ENV !== 'production' && settings.enabled) {
    const whole = settings.hash === 'none' ? null : wholeStatePath(settings.stateRedactor)
    if (whole !== null && typeof console !== 'undefined') {
      console.warn(`[redux-flight-recorder] \`redact.state\` ('${whole}') redacts every value of the state, so the log's hashes will say nothing about what the reducer did, and replay verifies nothing. Redact the paths that hold secrets instead (or record with \`hash: false\`).`)
    }
  }
  // Development only: a mark after close() is not in the log; said once. (Not for lifecycle events:
  // page and process hooks may still report one as the recorder closes.)
  let warnedLate = false
  const lateAfterClose = (call: string) => {
    if (!rec.closed || warnedLate || typeof console === 'undefined') return
    warnedLate = true
    console.warn(`[redux-flight-recorder] recorder.${call} after close(): the log ended at close(), so it is not recorded (nor are later marks or actions).`)
  }
  return {
    enhancer,
    middleware,
    session: rec.session,
    flush: () => rec.flush(),
    flushSync: () => rec.flushSync(),
    snapshot: (o) => readOwnLog(rec.toJSONL(o?.finalState === true)),
    toJSONL: (o) => rec.toJSONL(o?.finalState === true),
    mark: (label, body) => {
      if (process.env.NODE_ENV !== 'production') {
        expectString('mark label', label)
        lateAfterClose(`mark(${JSON.stringify(String(label))})`)
      }
      rec.record({ kind: '@@mark', label: String(label), body })
    },
    lifecycle: (event, body) => {
      if (process.env.NODE_ENV !== 'production') expectString('lifecycle event', event)
      const b: Record<string, unknown> = Object.assign({ event }, body, { event })
      // An uncaught error's text (recordPageLifecycle, recordProcessLifecycle) without the values the
      // log redacts in the state or the last actions: an effect may throw with the token it sent.
      if (settings.stateRedactor || settings.actionRedactor) {
        for (const k of ['message', 'stack']) if (typeof b[k] === 'string') b[k] = scrubText(b[k] as string, rec.lastState, settings.stateRedactor, recent(rec), settings.actionRedactor)
      }
      rec.record({ kind: '@@lifecycle', body: b })
    },
    pause: () => {
      rec.paused = true
    },
    resume: () => {
      if (!rec.paused) return
      rec.paused = false
      rec.checkpointNow('resume')
    },
    clear: () => rec.clear(),
    close: () => rec.close(),
    stats: () => ({
      entries: rec.ring.nextSeq - 1,
      actions: rec.actionCount,
      turns: rec.turns.count,
      buffered: rec.ring.size,
      bytes: rec.bytesOut,
      dropped: rec.dropped,
      sinkErrors: rec.faults.count('sink'),
      enabled: settings.enabled,
      paused: rec.paused,
      closed: rec.closed,
    }),
    onClose: (cleanup) => rec.onClose(cleanup),
  }
}
