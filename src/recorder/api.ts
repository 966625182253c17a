import type { Middleware } from 'redux'
import { readOwnLog } from '../format/readOwnLog'
import { describe } from '../internal/describe'
import { wholeStatePath } from '../redact'
import type { Recorder } from './recorder'
import { F_ACTION } from './ring'
import { scrubTexts } from './scrub'
import type { FlightRecorder } from './types'

/** A mark's label, a lifecycle event's name (checked in development). */
export const expectString = (what: string, value: unknown): void => {
  if (typeof value !== 'string') throw new TypeError(`[redux-flight-recorder] Expected the ${what} to be a string. Instead, received: ${describe(value)}.`)
}


/**
 * The actions among the last 16 entries the buffer holds, newest first. Not the other entries: a
 * checkpoint holds a whole state, which `redact.actions` paths do not apply to (an action's
 * redactor walked it in full, on every uncaught error).
 */
function recent(rec: Recorder): unknown[] {
  const { ring } = rec
  const out: unknown[] = []
  for (let seq = ring.nextSeq, i; --seq >= Math.max(ring.firstSeq, ring.nextSeq - 16); ) if (ring.flags[(i = ring.index(seq))] & F_ACTION) out.push(ring.refs[i])
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
      // One walk of the state and the actions for both texts.
      const keys = ['message', 'stack'].filter((k) => typeof b[k] === 'string')
      if (keys[0] && (settings.stateRedactor || settings.actionRedactor)) {
        scrubTexts(keys.map((k) => b[k] as string), rec.lastState, settings.stateRedactor, recent(rec), settings.actionRedactor).forEach((t, i) => (b[keys[i]] = t))
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
