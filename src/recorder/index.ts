export { createFlightRecorder } from './createFlightRecorder'
export type {
  AsyncTurns,
  CheckpointReason,
  DevToolsSupport,
  FlightRecorder,
  FlightRecorderOptions,
  HashFunction,
  RecorderStats,
  RedactOptions,
  Sink,
  SinkContext,
  SnapshotOptions,
} from './types'
