export { createFlightRecorder } from './createFlightRecorder'
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
