// The recorder's core as a file of its own (dist/recorder-core.js): hashing, serialising, the
// buffer and the sink queues. The root entry imports it (`createFlightRecorder`); the one from
// 'redux-flight-recorder/lazy' (the shell an app loads with the page) loads it with
// `import('./recorder-core.js')` when the recorder is created and hands it what happened meanwhile.
import { recorderApi } from './createFlightRecorder'
import type { Clock } from './clock'
import { resolveOptions } from './options'
import { Recorder } from './recorder'
import type { Turns } from './turns'
import type { FlightRecorder, FlightRecorderOptions } from './types'

export { createFlightRecorder } from './createFlightRecorder'

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
