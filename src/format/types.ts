import type { FaultSource } from '../errors'

/** The major version of the log format this package writes and reads. */
export const FORMAT_VERSION = 1

/** Why a `@@checkpoint` was written (its `reason`). */
export type CheckpointReason = 'interval' | 'requested' | 'snapshot' | 'resume'

/**
 * A checkpoint after which the log's state is not what its actions give (`'resume'`: what
 * happened while paused is unknown; `'devtools'`: a DevTools jump in logs of early versions):
 * readers restart from its state instead of checking it.
 */
export function isRebaseCheckpoint(reason: unknown): boolean {
  return reason === 'resume' || reason === 'devtools'
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** The first line of every log (and of every rotated file). */
export interface RecordingHeader {
  kind: '@@session'
  v: number
  session: string
  /** RFC 3339 time the session started. */
  ts: string
  /** `'fr64'`, `'none'`, or the name of a custom hash function. */
  hash_alg: string
  meta: Record<string, string>
  redact: { state: string[]; actions: string[] }
  /** The first `seq` this log holds; `state` is the state before it. */
  from_seq: number
  state: unknown
  hash: string | null
  /** Entries of this session before `from_seq` that this log does not hold (a trimmed buffer). */
  trimmed?: number
  /** The sink this log was written by (its place in the recorder's `sinks`); absent in a buffer's log (`toJSONL()`, `snapshot()`). */
  sink?: number
  [key: string]: unknown
}

/**
 * A value the log holds in another form than the one the app had (the `lossy` key of action
 * entries and of lines with a full state): a `Date` written as its ISO string, a `Map` written as
 * `{}`, `NaN` written as `null`, … See docs/FORMAT.md, "Lossy values".
 */
export interface LossyValue {
  /** Key path inside the action or the state (`'payload.at'`, `'tags'`), `'<root>'` for the whole value. */
  path: string
  /** `'date'`, `'map'`, `'set'`, `'class-instance'`, `'to-json'` (a class instance written as what its `toJSON` returns), `'typed-array'`, `'non-finite'`, `'undefined-in-array'`, `'bigint'`, `'function'`, `'symbol'`. */
  kind: string
  /** Class name, typed array name, `'NaN'`/`'Infinity'`/`'-Infinity'`, `'toJSON'` for a BigInt written by its `toJSON`. */
  detail?: string
}

export interface Omission {
  /** Key path inside the action (`'payload.register'`), `'<root>'` for the action itself. */
  path: string
  /** `'function'`, `'symbol'`, `'bigint'`, `'circular'`, `'map'`, `'set'`, `'class-instance'`, `'dom-node'`, `'getter-threw'`, `'revoked-proxy'`, `'too-deep'`, `'too-large'`, `'unredactable'` (the action could not be redacted, so only its type is written), `'symbol-key'` (a plain object's property keyed by a symbol; the path ends in `[Symbol(…)]`), `'non-enumerable'` (a plain object's own property that is not enumerable). */
  kind: string
  /** Constructor name of a class instance; byte size of a too-large action, or `">N"`: over N bytes (found at dispatch, not serialised). */
  detail?: string | number
}

interface EntryBase {
  seq: number
  ts: string
  /** Monotonic milliseconds since the session started. */
  t: number
  turn: string | null
  kind: string
  [key: string]: unknown
}

/** Any line but an action's: it has no `action` key, so `entry.action !== undefined` tells an `ActionEntry`. */
interface OtherEntryBase extends EntryBase {
  action?: never
}

/** A line that has an `action` key: the reducer received this action. */
export interface ActionEntry extends EntryBase {
  action: { type: unknown; [key: string]: unknown }
  hash?: string | null
  recordable?: boolean
  omitted?: Omission[]
  /**
   * Optional (recorders with `subtreeHashes`): the fr64 hash of each subtree this action changed,
   * by key path (`cart.entities.b1`, `<root>`), `null` where the path is absent after the action.
   */
  changed?: Record<string, string | null>
  /** Values the action holds in another form (a `Date` as its ISO string, …). */
  lossy?: LossyValue[]
  /** Values that entered the state with this action and are held in another form (paths inside the state). */
  stateLossy?: LossyValue[]
  /**
   * The reducer threw on this action when recorded (its error's name and message): Redux kept the
   * state it had, which is what `hash` is of.
   */
  threw?: { name: string; message: string }
}

export interface CheckpointEntry extends OtherEntryBase {
  kind: '@@checkpoint'
  state: unknown
  hash: string | null
  /** A `CheckpointReason` from this version; other text from other writers. */
  reason?: CheckpointReason | (string & {})
  /** Values of `state` held in another form. */
  lossy?: LossyValue[]
  /** Why the state could not be written (`state` is then `null`): replay never restarts from it. */
  unwritable?: string
}
export interface MarkEntry extends OtherEntryBase {
  kind: '@@mark'
  label: string
  body?: unknown
}
export interface LifecycleEntry extends OtherEntryBase {
  kind: '@@lifecycle'
  body: { event: string; [key: string]: unknown }
}
export interface ErrorEntry extends OtherEntryBase {
  kind: '@@error'
  body: { source: FaultSource | (string & {}); message: string; seq?: number | null; [key: string]: unknown }
}
export interface ReplaceReducerEntry extends OtherEntryBase {
  kind: '@@replaceReducer'
  /**
   * The new reducer threw on Redux's replace action: Redux keeps it all the same, and the state
   * stays what it was (`hash` is that state's). Replay lets the replace action throw there too.
   */
  threw?: true
  hash?: string | null
}
export interface DroppedEntry extends OtherEntryBase {
  kind: '@@dropped'
  count: number
  reason: string
  /** The sink that lost them (its place in `sinks`): every sink's log gets the entry, and only in that sink's log are they missing. */
  sink?: number
}
/** A `@@…` kind this version does not know; readers keep it and replay ignores it. */
export interface UnknownEntry extends OtherEntryBase {}

/**
 * A line of a recording after the header. Tell an action's line with `entry.action !== undefined`
 * (or `isActionEntry`): its `kind` is the action's type, any string, so `kind` alone cannot; then
 * `kind` names the other lines (`'@@checkpoint'`, `'@@mark'`, …; a kind this version does not
 * know is an `UnknownEntry`).
 */
export type Entry =
  | ActionEntry
  | CheckpointEntry
  | MarkEntry
  | LifecycleEntry
  | ErrorEntry
  | ReplaceReducerEntry
  | DroppedEntry
  | UnknownEntry

/** The last line of a cleanly closed log. */
export interface EndEntry {
  kind: '@@end'
  seq: number
  ts: string
  t: number
  /** Action entries recorded in the whole session. */
  count: number
  /** Entries the session had to give up (see `@@dropped`). */
  dropped: number
  state: unknown
  hash: string | null
  [key: string]: unknown
}

export interface Recording {
  header: RecordingHeader
  entries: Entry[]
  end?: EndEntry
  /** What a tolerant read accepted but had to note (a truncated last line, gaps in `seq`). */
  warnings: string[]
}

export function isActionEntry(entry: { [key: string]: unknown }): entry is ActionEntry {
  return Object.prototype.hasOwnProperty.call(entry, 'action')
}

/** `Entries 3–5 are missing`, or `Entry 3 is missing`: a gap of seq in a log, for warnings. */
export function missingEntries(from: number, to: number): string {
  return from === to ? `Entry ${from} is missing` : `Entries ${from}–${to} are missing`
}

/**
 * Warnings that say a log is incomplete (a gap, a last line cut short or not JSON, a state that
 * could not be written): the test helpers' `allowIncomplete` rule, and `verify`'s.
 */
export const INCOMPLETE = /(?:are|is) missing|cut short|is not valid JSON|could not be written/

/** The warnings of the reader's `finish` for the log's last line (cut short, or not JSON), left out: nothing follows it. */
export const LAST_LINE_LEFT_OUT = /^Line \d+ (?:was cut short|is not valid JSON)/
