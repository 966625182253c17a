export { createFlightRecorder } from './createFlightRecorder'
export type {
  AsyncTurns,
  CheckpointReason,
  FlightRecorder,
  FlightRecorderOptions,
  HashFunction,
  RecorderStats,
  RedactOptions,
  Sink,
  SinkContext,
  SnapshotOptions,
} from './types'
