// The recorder's core as a file of its own (dist/recorder-core.js): hashing, serialising, the
// buffer and the sink queues. The root entry's `createFlightRecorder` imports it; the one from
// 'redux-flight-recorder/lazy' (the shell an app loads with the page) loads it with
// `import('./recorder-core.js')` when the recorder is created and hands it what happened meanwhile.
// It imports neither the clock nor the turns (each recorder is given its own): a page's bundler
// would otherwise put them in a chunk shared by the shell and the core, a file more to load.
import { newSessionId } from '../internal/sessionId'
import { redactsMetaTurn } from '../redact'
import { recorderApi } from './api'
import type { Clock } from './clock'
import { resolveOptions } from './options'
import { Recorder } from './recorder'
import type { Turns } from './turns'
import type { FlightRecorder, FlightRecorderOptions } from './types'

// (What the root entry's `createFlightRecorder` needs of the core's modules, so that a root page's
// bundle holds one copy of them.)
export { newSessionId, Recorder, recorderApi, redactsMetaTurn, resolveOptions }

/**
 * A recorder for the shell `api` (what sinks are attached to), with the shell's session, clock and
 * turns. Returns the recorder and the calls the shell hands on from now on.
 */
export function startCore(options: FlightRecorderOptions, shell: { session: string; clock: Clock; turns: Turns }, api: FlightRecorder): { rec: Recorder; calls: FlightRecorder } {
  const rec = new Recorder(resolveOptions(options), shell)
  const calls = recorderApi(rec, api.enhancer, api.middleware)
  rec.api = api
  return { rec, calls }
}
