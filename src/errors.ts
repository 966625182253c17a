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

/**
 * A fault inside the recorder (hashing, serialising, a sink, the clock). These never reach
 * `dispatch`; they go to `onError` and into the log as `@@error` entries.
 */
export class RecorderFaultError extends FlightRecorderError {
  override name = 'RecorderFaultError'
  /** Where the fault happened: `'hash'`, `'serialize'`, `'sink'`, `'clock'`, `'lifecycle'`. */
  readonly source: string
  readonly seq: number | null
  constructor(source: string, message: string, seq: number | null, options?: { cause?: unknown }) {
    super(`${source}-failed`, message, options)
    this.source = source
    this.seq = seq
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  try {
    return String(error)
  } catch {
    return 'unknown error'
  }
}

/**
 * `String(value)` that never throws: values read from a log can be objects whose `toString` is
 * data (`{"toString":1}`) or arrays nested too deep for `join`.
 */
export function safeString(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}
