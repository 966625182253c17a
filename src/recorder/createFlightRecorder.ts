import type { Middleware } from 'redux'
import { Clock } from './clock'
import { createEnhancer, warnWithoutEnhancer } from './enhancer'
// (The core from its own file, dist/recorder-core.js, which 'redux-flight-recorder/lazy' loads later.)
import { newSessionId, Recorder, recorderApi, redactsMetaTurn, resolveOptions } from './recorder-core'
import { Turns } from './turns'
import type { FlightRecorder, FlightRecorderOptions } from './types'

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
export function createFlightRecorder(options?: FlightRecorderOptions | null): FlightRecorder {
  const settings = resolveOptions(options)
  const clock = new Clock(settings.clock, (message) => rec.fault('clock', new Error(message), null))
  const turns = new Turns(settings.turns, redactsMetaTurn(settings.redactPaths.actions))
  const rec = new Recorder(settings, { session: newSessionId(), clock, turns })
  // Disabled, the middleware hands back `next` itself: nothing at all on the dispatch path.
  let middleware: Middleware = settings.enabled ? rec.turns.middleware : () => (next) => next
  if (process.env.NODE_ENV !== 'production' && settings.enabled) middleware = warnWithoutEnhancer(rec, middleware)
  return (rec.api = recorderApi(rec, createEnhancer(rec), middleware))
}
