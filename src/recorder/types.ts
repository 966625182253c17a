import type { Middleware, Store, StoreEnhancer } from 'redux'
import type { RecorderFaultError } from '../errors'
import type { Recording } from '../format/types'
import type { LossyOptions } from '../lossy'

// The recorder's public types and the sink interface, in one module so that sinks and the
// recorder import types from here and never from each other.

/** A hash function over the state: returns a string written as the entry's `hash`. */
export type HashFunction = ((state: unknown) => string) & { algorithm?: string }

export interface RedactOptions {
  /**
   * Key paths inside the state, e.g. `'auth.token'`, `'users.*.password'`, `'**.secret'`; a key
   * holding a dot as a JSON string in brackets, `'servers.entities["db.example.com"].password'`. They do
   * not apply to actions that carry state: redux-persist's `persist/REHYDRATE` has the persisted
   * state as its `payload`, so `'auth.token'` there needs `'payload.auth.token'` in `actions`.
   */
  state?: string[]
  /** Key paths inside actions, e.g. `'payload.card'`, `'meta.arg.password'`, `'payload.auth.token'` (REHYDRATE). */
  actions?: string[]
}

export interface FlightRecorderOptions {
  /**
   * Where the log goes; each sink gets its own bounded outgoing queue. List each sink once (a sink
   * listed twice would get every line twice; in development `createFlightRecorder` throws).
   * @default []
   */
  sinks?: Sink[]
  /**
   * Most entries kept in memory for `snapshot()`, `toJSONL()` and downloads. Trimming the buffer
   * never affects sinks.
   * @default 10000
   */
  maxEntries?: number
  /**
   * Most bytes of JSONL kept in memory for the entries. Exact when the buffer is read (`snapshot`,
   * `toJSONL`); between reads, kept on the lines handed to sinks at each flush, or without sinks on
   * an estimate (actions' JSON measured now and then), so large actions do not pile up to
   * `maxEntries`. The header (the state where the buffer starts) and a `finalState` checkpoint
   * come on top: a log read from the buffer is about `maxBytes` plus two states. A checkpoint is
   * an entry, its line holding the whole state: with a state near or over `maxBytes` (a page of data
   * loaded), the buffer keeps the entries from about its last checkpoint on.
   * @default 8 MiB
   */
  maxBytes?: number
  /**
   * An action whose JSON is larger than this is written as an omission record (its `type` only),
   * followed by a checkpoint of the state after it (written before the next action): replay goes
   * on from there.
   * Development builds warn once per action type.
   * @default 256 KiB
   */
  maxEntryBytes?: number
  /**
   * How often sinks receive new lines, in milliseconds.
   * @default 1000
   */
  flushIntervalMs?: number
  /**
   * Also write the full state every N actions (faster divergence diffs); 0 writes checkpoints only
   * where needed (resume, gaps, DevTools jumps).
   * @default 0
   */
  checkpointEvery?: number
  /**
   * The state hash: `'fr64'` (structural, incremental), `false` (no hashes: replays cannot be
   * verified), or a function such as `sha256JsonHash` from `redux-flight-recorder/node`.
   * @default 'fr64'
   */
  hash?: 'fr64' | false | HashFunction
  /** Paths whose values become `"[redacted]"` before anything is hashed or written. */
  redact?: RedactOptions
  /**
   * Projects the state before it is hashed and written (e.g. Immutable.js `toJS`). It defeats the
   * reuse of unchanged subtrees' hashes. Replay needs the same function.
   */
  serializeState?: (state: unknown) => unknown
  /** Strings written into the header, e.g. `{ app: 'shop@1.4.0' }`. */
  meta?: Record<string, string>
  /**
   * Development only: re-runs the reducer on a copy of the previous state with the clock shifted
   * and `Math.random` reseeded, and reports (through `onError`, source `'determinism'`) the first
   * action whose result differs, or whose reducer changes the state it is given in place. The
   * app's state is never handed to the re-run; the copy (of the state's plain objects and arrays)
   * costs each action a walk of the whole state until the first report.
   * @default false
   */
  checkDeterminism?: boolean
  /**
   * With `hash: 'fr64'`: write on each action entry the fr64 hashes of the subtrees the action
   * changed (the `changed` key, docs/FORMAT.md), so a divergence report names the slice, entity
   * or field where replay went another way, without a full state. Costs bytes per line and a walk
   * of the changed containers after each hash. Opt-in by import (`subtreeHashes()` from
   * `redux-flight-recorder`), so apps without it do not ship it.
   * @example
   * import { createFlightRecorder, subtreeHashes } from 'redux-flight-recorder'
   * createFlightRecorder({ subtreeHashes: subtreeHashes() })
   */
  subtreeHashes?: SubtreeHashes
  /**
   * Values written in another form than the app had them (a `Date` as its ISO string, a `Map` as
   * `{}`, `NaN` as `null`, …) are listed in the line's `lossy` key and warned about once per path
   * and kind in development. Paths listed here (exact key paths or regular expressions) are
   * accepted: neither listed nor warned about.
   * @example { ignoredPaths: ['session.startedAt'], ignoredActionPaths: [/^meta\.arg\./] }
   */
  lossy?: LossyOptions
  /** Epoch milliseconds; for tests. */
  clock?: () => number
  /**
   * Receives every fault (hashing, serialising, sinks). Without it the first fault of each kind is
   * logged with `console.warn`.
   */
  onError?: (error: RecorderFaultError) => void
  /**
   * When false the enhancer is a pass-through and the middleware does nothing.
   * @default true
   */
  enabled?: boolean
  /**
   * Carries turns across `await` where the runtime can: `asyncTurns()` from
   * `redux-flight-recorder/node` (`AsyncLocalStorage`). Without it, a plain thunk's or listener
   * effect's dispatch after `await` starts a new turn; see docs/turns.md.
   * @example createFlightRecorder({ turns: asyncTurns() })
   */
  turns?: AsyncTurns
  /**
   * Records a store built with Redux DevTools' instrument (the DevTools extension, Redux Toolkit's
   * `devTools`, `@redux-devtools/instrument`) exactly: DevTools' recomputations are not entries and
   * a time travel is an `@@lifecycle` entry with the state. Opt-in, so apps that do not need it do
   * not ship it.
   * @example
   * import { devToolsInstrument } from 'redux-flight-recorder/devtools'
   * createFlightRecorder({ devtools: devToolsInstrument() })
   */
  devtools?: DevToolsSupport
  /**
   * How long `flush()` and `close()` wait for a sink write that does not finish before they
   * report it (`onError`) and go on without it.
   * @default 10000
   */
  sinkTimeoutMs?: number
  /**
   * Most bytes queued for one sink that is not keeping up, counting the write in flight (the sink
   * holds it until it ends); beyond it lines not yet handed to the sink are dropped, and a
   * `@@dropped` entry says so: those just before the newest full state queued, or else those just
   * before the newest flush, with a checkpoint after the gap, so that replay checks what arrives.
   * @default 32 MiB
   */
  sinkQueueBytes?: number
}

export interface FlightRecorder {
  /** Store enhancer; goes innermost: `enhancers: (g) => g().concat(recorder.enhancer)`. */
  readonly enhancer: StoreEnhancer
  /** Turn middleware; goes first: `middleware: (g) => g().prepend(recorder.middleware)`. */
  readonly middleware: Middleware
  /** The session id written in the header. */
  readonly session: string
  /** Resolves when every sink has finished writing what was pending. */
  flush(): Promise<void>
  /** Hands every pending line to sinks that can write synchronously; for exit and page hide. */
  flushSync(): void
  /**
   * The in-memory buffer as a `Recording`. With `{ finalState: true }` the recorder first writes a
   * `@@checkpoint` of the current state (also to sinks), so a divergence found in this log near
   * its end still gets a state diff; downloads do this.
   */
  snapshot(options?: SnapshotOptions): Recording
  /** The in-memory buffer as JSONL text; options as for `snapshot()`. */
  toJSONL(options?: SnapshotOptions): string
  /** Writes a `@@mark` entry. */
  mark(label: string, body?: unknown): void
  /** Writes a `@@lifecycle` entry. */
  lifecycle(event: string, body?: Record<string, unknown>): void
  /** Stops recording until `resume()`. */
  pause(): void
  /** Resumes recording and writes a checkpoint (what happened while paused is unknown). */
  resume(): void
  /** Empties the in-memory buffer; sinks are not affected. */
  clear(): void
  /** Final flush, `@@end` line, removes every listener and timer. */
  close(): Promise<void>
  /** Counters for status displays. */
  stats(): RecorderStats
  /** Adds a cleanup run by `close()` (used by lifecycle helpers). */
  onClose(cleanup: () => void): () => void
}

export interface SnapshotOptions {
  /**
   * Write a `@@checkpoint` of the current state first (unless the log already ends with one).
   * @default false
   */
  finalState?: boolean
}

export interface RecorderStats {
  /** Entries written in this session (all kinds). */
  entries: number
  actions: number
  /** Numbered turns started (`t1`, `t2`, …); a turn an action names in `meta.turn` is not counted. */
  turns: number
  /** Entries currently in the in-memory buffer. */
  buffered: number
  /** JSONL bytes handed to sinks so far. */
  bytes: number
  dropped: number
  /** Faults raised by sinks (failed writes, a sink that fell behind); each also went to `onError`. */
  sinkErrors: number
  /** `false` for a recorder created with `enabled: false` (it records nothing). */
  enabled: boolean
  /** Between `pause()` and `resume()`. */
  paused: boolean
  closed: boolean
}

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
  /**
   * Tells the recorder this sink gave up `count` lines; it writes a `@@dropped` entry, then a
   * checkpoint (so what follows replays from a known state), unless `checkpoint: false`: for a
   * sink that knows the next full state cannot reach its destination either (httpSink, after a
   * server refused one as too large), where each checkpoint would be lost and reported in turn.
   */
  reportDropped(count: number, reason: string, options?: { checkpoint?: boolean }): void
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
  /**
   * Writes one batch of JSONL lines (each without its newline), in order; the session's first
   * batch starts with its `@@session` header. A throw, or a returned promise that rejects, is
   * reported as a sink fault (`onError`, an `@@error` entry); it never reaches `dispatch`.
   */
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

export type { CheckpointReason } from '../format/types'


/**
 * An async context that carries a turn across `await`. In Node, `asyncTurns()` from
 * `redux-flight-recorder/node` gives one built on `AsyncLocalStorage`; browsers have none yet.
 */
export interface AsyncTurns {
  /** The turn of the async context the caller runs in, if any. */
  current(): number | undefined
  /** Runs `fn` with `turn` as the turn of its async context (and of everything it starts). */
  run<T>(turn: number, fn: () => T): T
}

/**
 * What `subtreeHashes()` returns, for the `subtreeHashes` option. Its members are internal to the
 * package and may change in any release.
 */
export interface SubtreeHashes {
  /** @internal */
  readonly column: () => unknown
  /** @internal */
  readonly field: (hasher: never, next: unknown, prev: unknown) => string
}

/**
 * What `devToolsInstrument()` from `redux-flight-recorder/devtools` returns, for the `devtools`
 * option. Its member is internal to the package and may change in any release.
 */
export interface DevToolsSupport {
  /** @internal Takes over a store the recorder's enhancer created; gives the store to return and how to read the app's state. */
  readonly attach: (store: Store, recorder: never, generation: number) => { store: Store; getState: () => unknown }
}
