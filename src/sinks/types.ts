import type { FlightRecorder } from '../recorder'

/**
 * What the recorder hands a sink with every write. Lines are JSONL lines without the trailing
 * newline; the first line a sink ever receives is the session header.
 */
export interface SinkContext {
  /** The session id (also in the header). */
  readonly session: string
  /**
   * A header line whose `state` is the state before the first line of the current write, for a
   * sink that starts a new file (rotation) so that file replays on its own.
   */
  header(): string
  /** Asks the recorder to write a `@@checkpoint` of the current state soon (after a gap). */
  checkpoint(): void
  /** Tells the recorder this sink gave up `count` lines; it writes a `@@dropped` entry. */
  reportDropped(count: number, reason: string): void
  /**
   * Synchronously hands over every line the recorder has not yet given this sink (hashing what is
   * pending first). For emergencies where no timer will run again: page hide, process exit.
   */
  drain(): string[]
}

/**
 * Where the log goes. `write` may be sync or async; the recorder calls it with one batch at a time
 * per sink (never two writes in flight) and never waits for it on the dispatch path.
 */
export interface Sink {
  write(lines: string[], ctx: SinkContext): void | Promise<void>
  /** Writes synchronously; used on process exit and page hide when no timer will run again. */
  writeSync?(lines: string[], ctx: SinkContext): void
  /** Called once by `recorder.close()`, after the final lines were written. */
  close?(): void | Promise<void>
  /**
   * Called once when the recorder starts, with a context valid for the whole session and the
   * recorder itself (for sinks that install lifecycle helpers such as `recordProcessLifecycle`).
   */
  attach?(ctx: SinkContext, recorder: FlightRecorder): void
}
