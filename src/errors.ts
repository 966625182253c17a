/**
 * Error classes. Each carries a stable `code` and, where there is one, the original error as
 * `cause`; messages are full sentences prefixed with the package name.
 */
export class FlightRecorderError extends Error {
  override name = 'FlightRecorderError'
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message.startsWith('[redux-flight-recorder]') ? message : `[redux-flight-recorder] ${message}`, options)
    this.code = code
  }
}

/** A log line that is not valid format v1. `line` is 1-based. */
export class RecordingFormatError extends FlightRecorderError {
  override name = 'RecordingFormatError'
  readonly line: number
  constructor(code: string, line: number, reason: string, options?: { cause?: unknown }) {
    super(code, `Line ${line} of the recording is not valid: ${reason}`, options)
    this.line = line
  }
}

/** Thrown by the testing helpers when a replay does not reach the recorded states. */
export class ReplayDivergenceError extends FlightRecorderError {
  override name = 'ReplayDivergenceError'
  readonly seq: number | null
  readonly turn: string | null
  constructor(code: string, message: string, seq: number | null, turn: string | null, options?: { cause?: unknown }) {
    super(code, message, options)
    this.seq = seq
    this.turn = turn
  }
}

/** Where a recorder fault happened (`RecorderFaultError.source`, the `source` of an `@@error` body). */
export type FaultSource = 'hash' | 'serialize' | 'sink' | 'clock' | 'record' | 'determinism' | 'lifecycle'

/**
 * A fault inside the recorder (hashing, serialising, a sink, the clock). These never reach
 * `dispatch`; they go to `onError` and into the log as `@@error` entries.
 */
export class RecorderFaultError extends FlightRecorderError {
  override name = 'RecorderFaultError'
  /** Where the fault happened: `'hash'`, `'serialize'`, `'sink'`, `'clock'`, `'record'`, `'determinism'`, `'lifecycle'`. */
  readonly source: FaultSource
  readonly seq: number | null
  constructor(source: FaultSource, message: string, seq: number | null, options?: { cause?: unknown }) {
    super(`${source}-failed`, message, options)
    this.source = source
    this.seq = seq
  }
}

