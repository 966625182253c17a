import type { Middleware } from 'redux'
import { readOwnLog } from '../format/readOwnLog'
import { describe } from '../internal/describe'
import { createEnhancer } from './enhancer'
import { resolveOptions } from './options'
import { Recorder } from './recorder'
import type { FlightRecorder, FlightRecorderOptions } from './types'

const expectString = (what: string, value: unknown): void => {
  if (typeof value !== 'string') throw new TypeError(`[redux-flight-recorder] Expected the ${what} to be a string. Instead, received: ${describe(value)}.`)
}

/**
 * Creates a recorder for a Redux store.
 *
 * @example
 * const recorder = createFlightRecorder({ sinks: [fileSink('session.jsonl')] })
 * const store = configureStore({
 *   reducer,
 *   middleware: (g) => g().prepend(recorder.middleware), // before `enhancers`, or it does not type-check
 *   enhancers: (g) => g().concat(recorder.enhancer),
 * })
 */
export function createFlightRecorder(options: FlightRecorderOptions = {}): FlightRecorder {
  const settings = resolveOptions(options)
  const rec = new Recorder(settings)
  // Disabled, the middleware hands back `next` itself: nothing at all on the dispatch path.
  const middleware: Middleware = settings.enabled ? rec.turns.middleware : () => (next) => next
  const api: FlightRecorder = {
    enhancer: createEnhancer(rec),
    middleware,
    session: rec.session,
    flush: () => rec.flush(),
    flushSync: () => rec.flushSync(),
    snapshot: (o) => readOwnLog(rec.toJSONL(o?.finalState === true)),
    toJSONL: (o) => rec.toJSONL(o?.finalState === true),
    mark: (label, body) => {
      if (process.env.NODE_ENV !== 'production') expectString('mark label', label)
      rec.record({ kind: '@@mark', label: String(label), body })
    },
    lifecycle: (event, body) => {
      if (process.env.NODE_ENV !== 'production') expectString('lifecycle event', event)
      rec.record({ kind: '@@lifecycle', body: Object.assign({ event }, body, { event }) })
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
      closed: rec.closed,
    }),
    onClose: (cleanup) => rec.onClose(cleanup),
  }
  rec.api = api
  return api
}
