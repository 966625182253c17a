// The public types of `redux-flight-recorder/replay`: options, steps, divergences and results.
import type { Action, Reducer } from 'redux'
import type { ActionEntry, Entry, HashFunction, LossyValue, Omission, RecordingHeader } from 'redux-flight-recorder'
import type { ParseOptions } from '../format/index.js'
import type { ReplayAdapter } from './adapters'
import type { StateDifference } from './diff'
import type { StepDifference } from './localize'

/** The store replay dispatches into: anything with `dispatch` and `getState`. */
export interface ReplayStore<S = unknown> {
  dispatch(action: any): unknown
  getState(): S
  replaceReducer?(reducer: Reducer): void
}

/** One replayed step, as `onStep` sees it; `S`: the state's type (the reducer's, or the replay store's). */
export interface ReplayStep<S = unknown> {
  seq: number
  turn: string | null
  kind: string
  /** The action dispatched (after adapters and `onNonRecordable`); the recorded one when skipped. */
  action: unknown
  /** The entry was not dispatched (`onNonRecordable: 'skip'` or an adapter); its hash is still checked. */
  skipped: boolean
  expectedHash: string | null
  actualHash: string | null
  /** `true`/`false` when a hash was checked, `null` when there was nothing to check. */
  matched: boolean | null
  state: S
  /**
   * What the reducer threw at this step, replayed: only at an entry whose reducer threw when
   * recorded too (its `threw`, docs/FORMAT.md), where replay goes on with the state Redux kept. A
   * step that throws where the recording did not stops the replay (`'reducer-threw'`).
   */
  threw?: { name: string; message: string }
}

/**
 * Options of `replay`. `S` is the state's type, inferred from `reducer`, or from the store
 * `createStore` returns (its `getState`), and given to `onStep` and the result (`result.state`).
 */
export interface ReplayOptions<S = any> {
  /** Replays into the reducer alone (no middleware, so no side effects). */
  reducer?: Reducer<S, any>
  /**
   * Or builds the store to replay into, from the log's starting state (typed `any`: it is what
   * the log holds, to hand to the store as its preloaded state). Where the store built from a
   * state does not start in it (its state hashes otherwise: redux-undo with `ignoreInitialState`
   * takes the INIT action for one of its own), replay also calls it with `undefined`, and goes on
   * with that store if it starts in the log's state, as the recorded store did.
   */
  createStore?: (preloadedState: any) => ReplayStore<S>
  /** Stop after this seq. */
  until?: number
  /** Called after every replayed action, for step-through UIs. */
  onStep?: (step: ReplayStep<S>) => void
  /**
   * Supplies the reducer a `@@replaceReducer` entry switched to (without it verification stops
   * there), and the reducer of a new store the recorder moved to (`@@lifecycle` `new-store`: a hot
   * reload that builds the store again); for those, `undefined` keeps the reducer replay has.
   */
  onReplaceReducer?: (entry: Entry) => Reducer<any, any> | undefined
  /**
   * Entries whose action lost values JSON cannot carry: `'dispatch'` the projection (default),
   * `'skip'` them, `'fail'`, or rebuild the action with a function (return `null` to skip,
   * `undefined` to dispatch the projection).
   * @default 'dispatch'
   */
  onNonRecordable?: 'dispatch' | 'skip' | 'fail' | ((entry: ActionEntry) => Action | ActionEntry['action'] | null | undefined)
  /** Opt-in adapters for known libraries, e.g. `[reduxPersist()]`. */
  adapters?: ReplayAdapter[]
  /** The hash function for logs recorded with a custom `hash` (its name must match `hash_alg`). */
  hash?: HashFunction
  /** The same `serializeState` the recorder used. */
  serializeState?: (state: unknown) => unknown
  /** How JSONL text is read. @default { strict: false } */
  parse?: ParseOptions
}

/** Options of `replayStream`: those of `replay`, and how string items are read. */
export interface ReplayStreamOptions<S = any> extends ReplayOptions<S> {
  /**
   * How string items are read. `'lines'`: each string is one line (as `readline` gives them).
   * `'text'`: strings are chunks of JSONL text, split anywhere. `'auto'`: chunks if the first
   * string holds a newline, lines otherwise (a line never holds one). `Uint8Array` items are
   * always UTF-8 text chunks; objects are parsed entries.
   * @default 'auto'
   */
  input?: 'auto' | 'lines' | 'text'
}

/**
 * Why a replay did not reach the recorded states:
 * - `'hash-mismatch'`: the state after the action hashes differently from the recording;
 * - `'state-mismatch'`: a full state in the log (checkpoint, `@@end`, header) differs from the replayed one;
 * - `'reducer-threw'`: the reducer (or the replay store) threw;
 * - `'non-recordable'`: the action lost values and `onNonRecordable` is `'fail'`, or it is a
 *   library's action that needs that library's adapter (redux-persist's `persist/PERSIST` without
 *   `reduxPersist()`), which replay does not dispatch;
 * - `'adapter-threw'`: an adapter or the `onNonRecordable` function threw;
 * - `'hash-threw'`: the replayed state could not be hashed.
 */
export type DivergenceReason = 'hash-mismatch' | 'state-mismatch' | 'reducer-threw' | 'non-recordable' | 'adapter-threw' | 'hash-threw'

export interface Divergence {
  reason: DivergenceReason
  seq: number
  turn: string | null
  /** The action type, or the entry kind (`'@@checkpoint'`, `'@@end'`) for a full-state mismatch. */
  kind: string
  /** The recorded action; `null` for a full-state mismatch. */
  action: unknown
  expectedHash: string | null
  actualHash: string | null
  /** Values the log could not carry for this action. */
  omitted?: Omission[]
  /** Values of this action the log holds in another form (a `Date` as its ISO string, …). */
  lossy?: LossyValue[]
  /**
   * Paths of this action whose values the log redacts (`redact.actions`; the first 10): replay
   * dispatched `"[redacted]"` there, not the app's values, so the step may differ for that alone.
   * The testing helpers' `-u` does not rewrite a log at such a step.
   */
  redacted?: string[]
  /** What was thrown, for `'reducer-threw'`, `'adapter-threw'`, `'non-recordable'`, `'hash-threw'`. */
  error?: { name: string; message: string; stack?: string }
  /** Key paths whose recorded and replayed values differ, at `diffAtSeq`. `null` when no full state could be compared. */
  diff: StateDifference[] | null
  /** The seq of the full state (`@@checkpoint`, `@@end`) where `diff` was taken. */
  diffAtSeq: number | null
  /** The kind of the entry at `diffAtSeq`. */
  diffAt?: string
  /** `diff` lists the first differences only. */
  diffTruncated?: boolean
  /** Why there is no diff, or what to keep in mind reading it. */
  diffNote?: string
  /** A suggestion (an adapter, an option). */
  hint?: string
  /** The replayed step's own effect: the paths it changed, `recorded` holding the value before it and `replayed` the value after. */
  step?: StateDifference[]
  /** `step` lists the first paths the step changed only (20). */
  stepTruncated?: boolean
  /**
   * Where the recorded and replayed states part right after this step, from the log's subtree
   * hashes (the `changed` key of the entry); absent when the entry has none.
   */
  stepDiff?: StepDifference[]
  /** What `stepDiff` rests on, or why there is none. */
  stepNote?: string
  /**
   * The step's reducer, run again on the same state before it (Date.now/performance.now shifted,
   * Math.random reseeded, as the recorder's `checkDeterminism` does), gave another state: where the
   * two runs differ (first run as `recorded`, second as `replayed`; 5 at most). The reducer is not
   * deterministic at this action. Checked when replaying with `reducer`, once the replay is over.
   */
  nondeterministic?: StateDifference[]
  /** The first later action after which the replayed state hashed as recorded again: it erased the difference. */
  convergedAt?: { seq: number; kind: string }
  /**
   * The replay's reducer mutated the state in place, at or before this seq (and after `after`, the
   * last seq where the state was hashed afresh and matched): hashed afresh, the replayed state hashes
   * otherwise than its hash cached by reference says. `actualHash` is then the fresh hash.
   */
  mutatedInPlace?: { seq: number; after: number }
}

/** A lossy value found in a log: where (`'action'` or `'state'`) and at which seq. */
export interface LossyAt extends LossyValue {
  seq: number
  where: 'action' | 'state'
  /**
   * Found in the replayed state, where the log lists no such value: the replayed reducer made a
   * value JSON writes in another form (a Date, NaN, a Map) where the recorded state held another
   * (a string, null, an object), and the hash cannot tell them apart.
   */
  replayed?: true
}

/** What a replay did; `S`: the state's type (see `ReplayOptions`). */
export interface ReplayResult<S = unknown> {
  /** No divergence, no reducer error, and nothing stopped the replay early. */
  ok: boolean
  /** Actions dispatched. */
  steps: number
  /** Action entries not dispatched (skipped by an adapter or `onNonRecordable`). */
  skipped: number
  /** The replayed state at the end. */
  state: S
  /**
   * Every step of the log was replayed (nothing stopped the replay early), had a recorded hash and
   * it was checked, and the log is whole: no entries missing (a gap, `@@dropped`) and no last line
   * cut short.
   */
  verified: boolean
  /** Comparisons made: action hashes, and full states (checkpoints, `@@end`). */
  checked: number
  divergence?: Divergence
  /** Set when replay could not go on: a replaced reducer without `onReplaceReducer`. */
  stopped?: { seq: number; reason: string }
  /** The hash of the final replayed state, when hashing was possible. */
  finalHash: string | null
  /**
   * Values the log holds in another form than the app had them, in actions and in full states
   * (`where`), with the seq of the line; also described in `warnings`.
   */
  lossy: LossyAt[]
  warnings: string[]
  header: RecordingHeader
}
