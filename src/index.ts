export { createFlightRecorder, subtreeHashes } from './recorder'
export { stateHash, Fr64Hasher } from './hash'
export { memorySink } from './sinks/memorySink'
export { FlightRecorderError, RecordingFormatError, ReplayDivergenceError, RecorderFaultError } from './errors'
export { REDACTED } from './redact'
export { FORMAT_VERSION } from './format/types'

export type { AsyncTurns, CheckpointReason, DevToolsSupport, FlightRecorder, FlightRecorderOptions, HashFunction, RecorderStats, RedactOptions, Sink, SinkContext, SnapshotOptions, SubtreeHashes } from './recorder'
export type { FaultSource } from './errors'
export type {
  ActionEntry,
  CheckpointEntry,
  DroppedEntry,
  EndEntry,
  Entry,
  ErrorEntry,
  JsonValue,
  LifecycleEntry,
  LossyValue,
  MarkEntry,
  Omission,
  Recording,
  RecordingHeader,
  ReplaceReducerEntry,
  UnknownEntry,
} from './format/types'
export type { LossyOptions } from './lossy'
export type { MemorySink } from './sinks/memorySink'
