export { expectReplay, expectReplayFile } from './expectReplay'
export { flightRecorderMatchers } from './matchers'
export { recordSession } from './recordSession'
export { replaySuite } from './replaySuite'

export type { ExpectReplayOptions } from './expectReplay'
export type { FlightRecorderMatchers } from './matchers'
export type { SessionRecorderParts } from './recordSession'
export type { ReplaySuiteOptions } from './replaySuite'
