// (From the core's own file: dist/recorder-core.js, which 'redux-flight-recorder/lazy' loads later.)
export { createFlightRecorder } from './recorder-core'
export { subtreeHashes } from './subtreeHashes'
export type {
  AsyncTurns,
  CheckpointReason,
  DevToolsSupport,
  SubtreeHashes,
  FlightRecorder,
  FlightRecorderOptions,
  HashFunction,
  RecorderStats,
  RedactOptions,
  Sink,
  SinkContext,
  SnapshotOptions,
} from './types'
