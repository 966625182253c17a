export { createFlightRecorder } from './recorder'
export { replay, replayStream } from './replay/replay'
export { formatDivergence } from './replay/formatDivergence'
export { diffStates } from './replay/diff'
export { reduxPersist } from './replay/adapters'
export { parseRecording, LineParser } from './format/parse'
export { encodeRecording } from './format/encode'
export { toDevToolsExport, fromDevToolsExport } from './format/devtools'
export { stateHash, Fr64Hasher } from './hash'
export { memorySink } from './sinks/memorySink'
export { shrinkRecording, type ShrinkBaseline, type ShrinkFailure, type ShrinkOptions, type ShrinkProgress, type ShrinkReport, type ShrunkRecording } from './shrink'
export { FlightRecorderError, RecordingFormatError, ReplayDivergenceError, RecorderFaultError } from './errors'
export { REDACTED } from './redact'
export { FORMAT_VERSION, isActionEntry } from './format/types'

export type { FlightRecorder, FlightRecorderOptions, HashFunction, RecorderStats, RedactOptions, SnapshotOptions } from './recorder'
export type { Divergence, DivergenceReason, ReplayAdapter, ReplayOptions, ReplayResult, ReplayStep, ReplayStore, ReplayStreamOptions } from './replay/replay'
export type { StateDifference } from './replay/diff'
export type { ParseOptions, ParsedLine } from './format/parse'
export type { DevToolsExport } from './format/devtools'
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
export type { Sink, SinkContext } from './sinks/types'
export type { MemorySink } from './sinks/memorySink'
