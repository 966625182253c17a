// `redux-flight-recorder/replay`: reading, checking and reducing logs. Shared classes (errors,
// Fr64Hasher) come from the core entry by the package name, so there is one copy of each.
export { replay } from './replay'
export { replayStream } from './replayStream'
export { formatDivergence } from './formatDivergence'
export { diffStates } from './diff'
// A file of dist/ of its own (replay-persist.js; see reduxPersist.ts), also exported by the panel.
export { reduxPersist } from './reduxPersist'
export { parseRecording, LineParser, encodeRecording } from '../format/index.js'
export { isActionEntry } from '../format/types'
export { rehashRecording, shrinkRecording } from '../shrink'

export type { DivergedStep, ReplayAdapter } from './adapters'
export type { Divergence, DivergenceReason, ReplayOptions, ReplayResult, ReplayStep, ReplayStore, ReplayStreamOptions } from './types'
export type { StateDifference } from './diff'
export type { ParseOptions, ParsedLine } from '../format/index.js'
export type { RehashReport, RehashedRecording, ShrinkBaseline, ShrinkFailure, ShrinkOptions, ShrinkProgress, ShrinkReport, ShrunkRecording } from '../shrink'

import type { ReplayResult as Result } from './types'
declare module 'redux-flight-recorder' {
  interface FlightRecorderError {
    /**
     * The whole replay, on an error thrown because a replay did not reach the recorded states:
     * the testing helpers' `ReplayDivergenceError`, `rehashRecording`'s `'replay-failed'`.
     */
    readonly result?: Result
  }
}
