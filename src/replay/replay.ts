import type { Action, Reducer } from 'redux'
import { FlightRecorderError } from '../errors'
import { LineParser, parseRecording, type ParseOptions } from '../format/parse'
import { isActionEntry, type ActionEntry, type EndEntry, type Entry, type Omission, type Recording, type RecordingHeader } from '../format/types'
import { Fr64Hasher, hashHex } from '../hash'
import type { HashFunction } from '../recorder'
import { compileRedactor, describe, type Redactor } from '../redact'
import { stringifyState } from '../serialize'
import { diffStates, type StateDifference } from './diff'

/** The store replay dispatches into: anything with `dispatch` and `getState`. */
export interface ReplayStore {
  dispatch(action: any): unknown
  getState(): unknown
  replaceReducer?(reducer: Reducer): void
}

/** Rebuilds an action that the log could not carry in full. */
export interface ReplayAdapter {
  /** Shown in reports, e.g. `'reduxPersist'`. */
  name: string
  /**
   * Returns the action to dispatch, `null` to skip the entry, or `undefined` when this adapter
   * does not handle it.
   */
  revive(entry: ActionEntry): Action | null | undefined
  /** Action types this adapter knows, for hints in divergence reports. */
  handles?: (type: string) => boolean
}

export interface ReplayStep {
  seq: number
  turn: string | null
  kind: string
  action: unknown
  expectedHash: string | null
  actualHash: string | null
  /** `true`/`false` when a hash was checked, `null` when there was nothing to check. */
  matched: boolean | null
  state: unknown
}

export interface ReplayOptions {
  /** Replays into the reducer alone (no middleware, so no side effects). */
  reducer?: Reducer<any, any>
  /** Or builds the store to replay into, from the log's starting state. */
  createStore?: (preloadedState: unknown) => ReplayStore
  /** Stop after this seq. */
  until?: number
  /** Called after every replayed action, for step-through UIs. */
  onStep?: (step: ReplayStep) => void
  /** Supplies the reducer a `@@replaceReducer` entry switched to; without it verification stops there. */
  onReplaceReducer?: (entry: Entry) => Reducer<any, any> | undefined
  /**
   * Entries whose action lost values JSON cannot carry: `'dispatch'` the projection (default),
   * `'skip'` them, `'fail'`, or rebuild the action with a function.
   * @default 'dispatch'
   */
  onNonRecordable?: 'dispatch' | 'skip' | 'fail' | ((entry: ActionEntry) => Action | null | undefined)
  /** Opt-in adapters for known libraries, e.g. `[reduxPersist()]`. */
  adapters?: ReplayAdapter[]
  /** The hash function for logs recorded with a custom `hash` (its name must match `hash_alg`). */
  hash?: HashFunction
  /** The same `serializeState` the recorder used. */
  serializeState?: (state: unknown) => unknown
  /** How JSONL text is read. @default { strict: false } */
  parse?: ParseOptions
}

export interface Divergence {
  seq: number
  turn: string | null
  kind: string
  action: unknown
  expectedHash: string | null
  actualHash: string | null
  /** Values the log could not carry for this action. */
  omitted?: Omission[]
  /** What the reducer threw, if it threw. */
  error?: { name: string; message: string; stack?: string }
  /** Key paths whose recorded and replayed values differ, at `diffAtSeq`. `null` when the log has no full state after the step. */
  diff: StateDifference[] | null
  diffAtSeq: number | null
  /** Why there is no diff, or where it was taken. */
  diffNote?: string
  /** A suggestion (an adapter, an option). */
  hint?: string
}

export interface ReplayResult {
  /** No divergence, no reducer error, and nothing stopped the replay early. */
  ok: boolean
  /** Actions dispatched. */
  steps: number
  /** The replayed state at the end. */
  state: unknown
  /** Every replayed step had a recorded hash and it was checked. */
  verified: boolean
  /** Hash comparisons made (actions, checkpoints, end). */
  checked: number
  divergence?: Divergence
  /** Set when replay could not go on: a replaced reducer without `onReplaceReducer`, a gap, `until`. */
  stopped?: { seq: number; reason: string }
  /** The hash of the final replayed state, when hashing was possible. */
  finalHash: string | null
  warnings: string[]
  header: RecordingHeader
}

const SKIP = Symbol('skip')
/** Checkpoint reasons after which the recorded state is not reachable from the previous entries. */
const REBASE_REASONS = new Set(['resume', 'devtools'])

/** The replay state machine, fed one line at a time by `replay` and `replayStream`. */
export class Replayer {
  private readonly opts: ReplayOptions
  private header!: RecordingHeader
  private reducer: Reducer | undefined
  private store: ReplayStore | undefined
  private state: unknown
  private hasher: Fr64Hasher | undefined
  private hashFn: HashFunction | undefined
  private redactor: Redactor | null = null
  private canVerify = false
  private prevHashed: unknown = undefined
  private expectedSeq = 0
  private lost = false
  private steps = 0
  private checked = 0
  private unverified = 0
  private divergence: Divergence | undefined
  private awaitingDiff = false
  private stopped: { seq: number; reason: string } | undefined
  private done = false
  readonly warnings: string[] = []

  constructor(opts: ReplayOptions) {
    if (typeof opts !== 'object' || opts === null) {
      throw new TypeError(`[redux-flight-recorder] Expected replay options { reducer } or { createStore }. Instead, received: ${describe(opts)}.`)
    }
    if (typeof opts.reducer !== 'function' && typeof opts.createStore !== 'function') {
      throw new TypeError('[redux-flight-recorder] Expected `reducer` or `createStore` in the replay options, to rebuild the state the log was recorded from.')
    }
    if (opts.until !== undefined && typeof opts.until !== 'number') {
      throw new TypeError(`[redux-flight-recorder] Expected \`until\` to be a seq number. Instead, received: ${describe(opts.until)}.`)
    }
    const onNR = opts.onNonRecordable
    if (onNR !== undefined && typeof onNR !== 'function' && !['dispatch', 'skip', 'fail'].includes(onNR)) {
      throw new TypeError(`[redux-flight-recorder] Expected \`onNonRecordable\` to be 'dispatch', 'skip', 'fail' or a function. Instead, received: ${describe(onNR)}.`)
    }
    this.opts = opts
  }

  get finished(): boolean {
    return this.done
  }

  begin(header: RecordingHeader): void {
    this.header = header
    this.expectedSeq = header.from_seq
    this.redactor = compileRedactor(header.redact?.state ?? [])
    if (header.hash_alg === 'fr64') {
      this.hasher = new Fr64Hasher(this.redactor)
      this.canVerify = true
    } else if (header.hash_alg !== 'none') {
      const fn = this.opts.hash
      const name = fn ? fn.algorithm ?? (fn.name || 'custom') : undefined
      if (fn && name === header.hash_alg) {
        this.hashFn = fn
        this.canVerify = true
      } else {
        this.warnings.push(
          `The log was hashed with '${header.hash_alg}'; pass a \`hash\` function named '${header.hash_alg}' to verify it. Replaying without checks.`,
        )
      }
    }
    this.rebase(header.state)
  }

  private rebase(state: unknown): void {
    this.prevHashed = undefined
    if (this.opts.createStore) {
      this.store = this.opts.createStore(state)
      this.state = this.store.getState()
    } else {
      this.reducer ??= this.opts.reducer
      this.state = state
    }
  }

  private hashNow(): string | null {
    if (!this.canVerify) return null
    const input = this.opts.serializeState ? this.opts.serializeState(this.state) : this.state
    if (this.hasher) {
      this.hasher.hash(input, this.prevHashed)
      this.prevHashed = input
      return hashHex(this.hasher.hi, this.hasher.lo)
    }
    const redacted = this.redactor ? JSON.parse(stringifyState(input, this.redactor)) : input
    return this.hashFn!(redacted)
  }

  private projected(): unknown {
    const input = this.opts.serializeState ? this.opts.serializeState(this.state) : this.state
    return JSON.parse(stringifyState(input, this.redactor))
  }

  /** Feeds one entry; returns false once replay has nothing more to do. */
  entry(entry: Entry): boolean {
    if (this.done) return false
    if (this.opts.until !== undefined && entry.seq > this.opts.until) {
      this.done = true
      return false
    }
    if (entry.seq > this.expectedSeq) {
      this.lost = true
      this.warnings.push(`Entries ${this.expectedSeq}–${entry.seq - 1} are missing; replay resumes at the next checkpoint.`)
    }
    this.expectedSeq = entry.seq + 1
    if (isActionEntry(entry)) return this.action(entry)
    switch (entry.kind) {
      case '@@checkpoint': {
        const cp = entry as { state: unknown; hash?: string | null; reason?: unknown }
        // After pause()/resume() the state changed in ways the log does not hold: start over from it.
        if (REBASE_REASONS.has(cp.reason as string) && !this.awaitingDiff) {
          this.lost = false
          this.rebase(cp.state)
          return true
        }
        return this.fullState(entry.seq, cp.state, cp.hash ?? null, '@@checkpoint')
      }
      case '@@replaceReducer':
        return this.replaceReducer(entry)
      case '@@lifecycle': {
        const body = (entry as { body?: { event?: unknown } }).body
        if (body && body.event === 'devtools-state-change' && Object.prototype.hasOwnProperty.call(entry, 'state')) {
          return this.fullState(entry.seq, (entry as unknown as { state: unknown }).state, null, '@@lifecycle')
        }
        return true
      }
      default:
        return true
    }
  }

  private action(entry: ActionEntry): boolean {
    if (this.lost) {
      this.unverified++
      return true
    }
    let action: unknown = entry.action
    try {
      action = this.resolveAction(entry)
    } catch (error) {
      return this.diverge(entry, null, null, error)
    }
    if (action === SKIP) {
      this.unverified++
      return true
    }
    try {
      if (this.store) {
        this.store.dispatch(action)
        this.state = this.store.getState()
      } else {
        this.state = this.reducer!(this.state, action as Action)
      }
    } catch (error) {
      return this.diverge(entry, entry.hash ?? null, null, error)
    }
    this.steps++
    const expected = typeof entry.hash === 'string' ? entry.hash : null
    if (this.awaitingDiff) {
      this.opts.onStep?.({ seq: entry.seq, turn: entry.turn, kind: entry.kind, action, expectedHash: expected, actualHash: null, matched: null, state: this.state })
      return true
    }
    let actual: string | null = null
    try {
      actual = this.canVerify || expected !== null ? this.hashNow() : null
    } catch (error) {
      return this.diverge(entry, expected, null, error)
    }
    let matched: boolean | null = null
    if (expected !== null && actual !== null) {
      this.checked++
      matched = expected === actual
    } else {
      this.unverified++
    }
    this.opts.onStep?.({ seq: entry.seq, turn: entry.turn, kind: entry.kind, action, expectedHash: expected, actualHash: actual, matched, state: this.state })
    if (matched === false) {
      this.divergence = this.describeDivergence(entry, expected, actual)
      this.awaitingDiff = true
    }
    return true
  }

  private resolveAction(entry: ActionEntry): unknown {
    for (const adapter of this.opts.adapters ?? []) {
      const revived = adapter.revive(entry)
      if (revived === null) return SKIP
      if (revived !== undefined) return revived
    }
    if (entry.recordable !== false) return entry.action
    const mode = this.opts.onNonRecordable ?? 'dispatch'
    if (mode === 'dispatch') return entry.action
    if (mode === 'skip') return SKIP
    if (mode === 'fail') {
      throw new FlightRecorderError(
        'non-recordable',
        `The action at seq ${entry.seq} lost values JSON cannot carry (${describeOmitted(entry.omitted)}) and \`onNonRecordable\` is 'fail'.`,
      )
    }
    const rebuilt = mode(entry)
    return rebuilt === null ? SKIP : rebuilt === undefined ? entry.action : rebuilt
  }

  private describeDivergence(entry: ActionEntry, expected: string | null, actual: string | null, error?: unknown): Divergence {
    const d: Divergence = {
      seq: entry.seq,
      turn: entry.turn,
      kind: entry.kind,
      action: entry.action,
      expectedHash: expected,
      actualHash: actual,
      diff: null,
      diffAtSeq: null,
    }
    if (entry.recordable === false && entry.omitted) {
      d.omitted = entry.omitted
      d.hint = hintFor(entry, this.opts.adapters ?? [])
    }
    if (error !== undefined) {
      const e = error instanceof Error ? error : new Error(String(error))
      d.error = { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) }
    }
    return d
  }

  private diverge(entry: ActionEntry, expected: string | null, actual: string | null, error: unknown): boolean {
    if (!this.divergence) {
      this.divergence = this.describeDivergence(entry, expected, actual, error)
      this.divergence.diffNote = 'The reducer threw, so replay stopped here and no state was compared.'
    } else if (this.awaitingDiff) {
      this.divergence.diffNote = `The reducer threw at seq ${entry.seq} while replaying on to the next full state, so no state was compared.`
    }
    this.awaitingDiff = false
    this.done = true
    return false
  }

  private fullState(seq: number, recorded: unknown, expected: string | null, label: string): boolean {
    if (this.lost) {
      this.lost = false
      this.rebase(recorded)
      return true
    }
    if (this.awaitingDiff) {
      this.divergence!.diff = diffStates(recorded, this.projected())
      this.divergence!.diffAtSeq = seq
      this.divergence!.diffNote =
        seq === this.divergence!.seq ? `State compared at seq ${seq}.` : `State compared at seq ${seq} (${label}), the first full state in the log after the divergence.`
      this.awaitingDiff = false
      this.done = true
      return false
    }
    if (expected !== null && this.canVerify) {
      const actual = this.hashNow()
      this.checked++
      if (actual !== expected) {
        this.divergence = {
          seq,
          turn: null,
          kind: label,
          action: null,
          expectedHash: expected,
          actualHash: actual,
          diff: diffStates(recorded, this.projected()),
          diffAtSeq: seq,
          diffNote: `The replayed state differs from the ${label} at seq ${seq}.`,
        }
        this.done = true
        return false
      }
    }
    return true
  }

  private replaceReducer(entry: Entry): boolean {
    const next = this.opts.onReplaceReducer?.(entry)
    if (typeof next !== 'function') {
      this.stopped = {
        seq: entry.seq,
        reason: `The log replaces the reducer at seq ${entry.seq}; pass \`onReplaceReducer\` to supply the new reducer. Verification stopped there.`,
      }
      this.done = true
      return false
    }
    const replace = { type: '@@redux/REPLACE' }
    if (this.store) {
      if (typeof this.store.replaceReducer !== 'function') {
        this.stopped = { seq: entry.seq, reason: 'The replay store has no `replaceReducer`.' }
        this.done = true
        return false
      }
      this.store.replaceReducer(next)
      this.state = this.store.getState()
    } else {
      this.reducer = next
      this.state = next(this.state, replace)
    }
    const expected = typeof (entry as { hash?: unknown }).hash === 'string' ? ((entry as { hash: string }).hash) : null
    if (expected !== null && this.canVerify && !this.awaitingDiff) {
      const actual = this.hashNow()
      this.checked++
      if (actual !== expected) {
        this.divergence = {
          seq: entry.seq,
          turn: null,
          kind: '@@replaceReducer',
          action: null,
          expectedHash: expected,
          actualHash: actual,
          diff: null,
          diffAtSeq: null,
          diffNote: 'The state right after the reducer was replaced differs; the reducer given by `onReplaceReducer` does not match the recorded one.',
        }
        this.awaitingDiff = true
      }
    }
    return true
  }

  /** Call after the last entry, with the `@@end` line if the log has one. */
  end(end: EndEntry | undefined): void {
    if (end && !this.done) this.fullState(end.seq, end.state, end.hash, '@@end')
    this.done = true
  }

  result(): ReplayResult {
    if (this.divergence && this.awaitingDiff) {
      this.divergence.diffNote =
        'The log has no checkpoint or @@end after this step, so the states could not be compared. Record with `checkpointEvery`, or close the recorder so the log ends with @@end, to get a diff.'
    }
    let finalHash: string | null = null
    try {
      if (this.canVerify) {
        const input = this.opts.serializeState ? this.opts.serializeState(this.state) : this.state
        if (this.hasher) {
          this.hasher.hash(input)
          finalHash = hashHex(this.hasher.hi, this.hasher.lo)
        } else finalHash = this.hashNow()
      }
    } catch {
      finalHash = null
    }
    const result: ReplayResult = {
      ok: !this.divergence && !this.stopped,
      steps: this.steps,
      state: this.state,
      verified: this.canVerify && this.unverified === 0 && !this.lost && this.checked > 0,
      checked: this.checked,
      finalHash,
      warnings: this.warnings,
      header: this.header,
    }
    if (this.steps === 0 && this.checked === 0 && this.canVerify && !this.divergence) result.verified = true
    if (this.divergence) result.divergence = this.divergence
    if (this.stopped) result.stopped = this.stopped
    return result
  }
}

function describeOmitted(omitted: Omission[] | undefined): string {
  if (!omitted || omitted.length === 0) return 'unknown values'
  return omitted.map((o) => `${o.path}: ${o.kind}${o.detail !== undefined ? ` (${o.detail})` : ''}`).join(', ')
}

function hintFor(entry: ActionEntry, adapters: ReplayAdapter[]): string {
  const type = entry.kind
  if (type.startsWith('persist/') && !adapters.some((a) => a.name === 'reduxPersist')) {
    return "This is a redux-persist action; replay with `adapters: [reduxPersist()]` (from 'redux-flight-recorder') to revive it."
  }
  if (entry.omitted?.some((o) => o.kind === 'too-large')) {
    return 'The action was larger than `maxEntryBytes` when recorded; raise that option to keep such actions in full.'
  }
  return 'Pass `onNonRecordable: (entry) => action` to rebuild the missing values, or keep non-serializable values out of actions.'
}

function toRecording(input: Recording | string, parse: ParseOptions | undefined): Recording {
  if (typeof input === 'string') return parseRecording(input, { strict: false, ...parse })
  if (typeof input !== 'object' || input === null || typeof input.header !== 'object' || !Array.isArray(input.entries)) {
    throw new TypeError(`[redux-flight-recorder] Expected a Recording or JSONL text to replay. Instead, received: ${describe(input)}.`)
  }
  return input
}

/**
 * Replays a log into a fresh store and checks every step's hash.
 *
 * @example
 * const result = replay(text, { reducer })
 * if (!result.ok) console.log(formatDivergence(result))
 */
export function replay(recording: Recording | string, options: ReplayOptions): ReplayResult {
  const replayer = new Replayer(options)
  const rec = toRecording(recording, options.parse)
  replayer.warnings.push(...rec.warnings)
  replayer.begin(rec.header)
  for (const entry of rec.entries) if (!replayer.entry(entry)) break
  replayer.end(rec.end)
  return replayer.result()
}

/**
 * Replays a log from an async iterable of lines (or of chunks of JSONL text, or of parsed
 * entries with the header first), holding one line at a time: for logs larger than memory.
 */
export async function replayStream(source: AsyncIterable<string | object> | Iterable<string | object>, options: ReplayOptions): Promise<ReplayResult> {
  if (!source || (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' && typeof (source as Iterable<unknown>)[Symbol.iterator] !== 'function')) {
    throw new TypeError(`[redux-flight-recorder] Expected an (async) iterable of lines or entries. Instead, received: ${describe(source)}.`)
  }
  const replayer = new Replayer(options)
  const parser = new LineParser({ strict: false, ...options.parse })
  let began = false
  let end: EndEntry | undefined
  let carry = ''
  const feed = (line: string): boolean => {
    const parsed = parser.line(line)
    if (!parsed) return true
    if (parsed.type === 'header') {
      replayer.begin(parsed.header)
      began = true
      return true
    }
    if (parsed.type === 'end') {
      end = parsed.end
      return true
    }
    return replayer.entry(parsed.entry)
  }
  outer: for await (const item of source as AsyncIterable<string | object>) {
    if (typeof item === 'string') {
      // A string without a newline is one whole line (as readline gives them); a string with
      // newlines is JSONL text whose unfinished last line waits for the next string.
      if (carry === '' && item.indexOf('\n') === -1) {
        if (!feed(item) && replayer.finished) break
        continue
      }
      const text = carry + item
      let start = 0
      let nl = text.indexOf('\n')
      while (nl !== -1) {
        if (!feed(text.slice(start, nl)) && replayer.finished) break outer
        start = nl + 1
        nl = text.indexOf('\n', start)
      }
      carry = text.slice(start)
    } else {
      // Parsed objects go through the same checks as text.
      if (!feed(JSON.stringify(item)) && replayer.finished) break
    }
  }
  if (carry !== '' && !replayer.finished) feed(carry)
  if (!replayer.finished) parser.finish()
  if (!began) throw new FlightRecorderError('empty', '[redux-flight-recorder] The log is empty: expected an @@session header line.')
  replayer.warnings.push(...parser.warnings)
  replayer.end(end)
  return replayer.result()
}
