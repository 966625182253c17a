import { RecorderFaultError, type FaultSource } from '../errors'
import { errorMessage } from '../internal/errorText'

/** The package's own messages start with it; a fault's message says it once. */
const PREFIX = /^\[redux-flight-recorder\] /

/** `@@error` entries written per source; past this one more says so, then they stop. */
const MAX_ERRORS_PER_SOURCE = 100

/** The body of an `@@error` entry. */
export interface FaultBody {
  source: FaultSource
  message: string
  name?: string
  seq: number | null
}

/**
 * Faults never reach `dispatch`: each goes to `onError` (or, the first of each source, to
 * `console.warn`) and, up to a bound per source, into the log as an `@@error` entry.
 */
export class Faults {
  private readonly counts = new Map<FaultSource, number>()

  constructor(private readonly onError: ((error: RecorderFaultError) => void) | undefined) {}

  count(source: FaultSource): number {
    return this.counts.get(source) ?? 0
  }

  /**
   * Reports a fault; returns the `@@error` body to write, or undefined past the bound. `where`: which
   * of several sinks it was (`sinks[1]`), said in both messages (a hang of one and a CORS failure of
   * another read alike).
   */
  report(source: FaultSource, error: unknown, seq: number | null, where?: string): FaultBody | undefined {
    const count = this.count(source) + 1
    this.counts.set(source, count)
    const err =
      error instanceof RecorderFaultError
        ? error
        : new RecorderFaultError(source, `[redux-flight-recorder] ${source} failed${where ? ` in ${where}` : ''}${seq !== null ? ` at seq ${seq}` : ''}: ${errorMessage(error).replace(PREFIX, '')}`, seq, { cause: error })
    try {
      if (this.onError) this.onError(err)
      else if (count === 1 && typeof console !== 'undefined') console.warn(err.message)
    } catch {
      // onError itself must not break the app
    }
    if (count > MAX_ERRORS_PER_SOURCE + 1) return undefined
    if (count > MAX_ERRORS_PER_SOURCE) return { source, message: `More than ${MAX_ERRORS_PER_SOURCE} ${source} errors; further ones are not written.`, seq }
    return { source, message: where ? `${where}: ${errorMessage(error)}` : errorMessage(error), name: error instanceof Error ? error.name : undefined, seq }
  }
}
