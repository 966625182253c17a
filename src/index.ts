export { createFlightRecorder } from './recorder'
export { stateHash, Fr64Hasher } from './hash'
export { memorySink } from './sinks/memorySink'
export { FlightRecorderError, RecordingFormatError, ReplayDivergenceError, RecorderFaultError } from './errors'
export { REDACTED } from './redact'
export { FORMAT_VERSION } from './format/types'

export type { FlightRecorder, FlightRecorderOptions, HashFunction, RecorderStats, RedactOptions, SnapshotOptions } from './recorder'
export type {
  ActionEntry,
  CheckpointEntry,
  DroppedEntry,
  EndEntry,
  Entry,
  ErrorEntry,
  JsonValue,
  LifecycleEntry,
  MarkEntry,
  Omission,
  Recording,
  RecordingHeader,
  ReplaceReducerEntry,
  UnknownEntry,
} from './format/types'
export type { Sink, SinkContext } from './sinks/types'
export type { MemorySink } from './sinks/memorySink'
