// The recorder's core as a chunk of its own (dist/recorder-core.js): hashing, serialising, the
// buffer and the sink queues. `createFlightRecorder` from 'redux-flight-recorder/lazy' (the shell
// an app loads with the page) loads it with `import('./recorder-core.js')` when the recorder is
// created and hands it what happened meanwhile. Its error classes come from the package's root
// entry (tsup.config.ts), so there is one copy of each.
import { recorderApi } from './createFlightRecorder'
import type { Clock } from './clock'
import { resolveOptions } from './options'
import { Recorder } from './recorder'
import type { Turns } from './turns'
import type { FlightRecorder, FlightRecorderOptions } from './types'

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
