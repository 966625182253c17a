import type { Action } from 'redux'
import type { FaultSource } from '../errors'
import { type EndEntry, type Entry, type LossyValue, type Omission, type RecordingHeader } from '../format/types'
import { errorParts, errorText } from '../internal/errorText'
import { warnOmitted, warnSymbolKeys } from '../lossy'
import { joined, type PartedText } from '../internal/lineParts'
import { jsonSize } from '../internal/jsonSize'
import { keyLists, readableCopy } from '../hash'
import { utf8Length } from '../internal/utf8'
import { hashField, projectAction, stateText, timeFields, type Projection } from '../serialize'
import type { StateJson } from '../stateJson'
import type { Clock } from './clock'
import type { FaultBody } from './faults'
import type { HashQueue } from './hashQueue'
import type { Settings } from './options'
import { F_ACTION, F_HASHED, F_STATE, TURN_EXPLICIT, type EntryRing } from './ring'
import { turnName } from './turnName'
import type { CheckpointReason } from './types'

/** What the ring holds for an entry that is not an action; `lines` writes each as its kind says. */
export type SpecialEntry =
  | { readonly kind: '@@mark'; readonly label: string; readonly body?: unknown }
  | { readonly kind: '@@lifecycle'; readonly body: Record<string, unknown>; readonly state?: unknown }
  | { readonly kind: '@@error'; readonly body: FaultBody }
  | { readonly kind: '@@dropped'; readonly count: number; readonly reason: string; readonly sink: number }
  | { readonly kind: '@@checkpoint'; readonly state: unknown; readonly reason: CheckpointReason }
  | { readonly kind: '@@replaceReducer'; readonly threw?: true }
  | { readonly kind: '@@end'; readonly state: unknown; readonly count: number }


// ------------------------------------------------------------------ the format's order
// What the recorder writes from its ring and what `entryText` writes from a parsed entry go
// through the functions below, so the two cannot write keys in different orders.

/** `,"key":<JSON of value>`, or `''` where JSON.stringify would leave the key out. */
type Field = (key: string, value: unknown) => string

const jsonField: Field = (key, value) => {
  const json = JSON.stringify(value)
  return json === undefined ? '' : ',"' + key + '":' + json
}

/**
 * A body the app gave (`mark`, `lifecycle`): its JSON projection, never a throw, and `omitted`
 * listing what it left out (a cycle, a BigInt, a function), as an action's line does.
 */
const bodyField: Field = (key, value) => {
  if (value === undefined) return ''
  const p = projectAction(value, null)
  return ',"' + key + '":' + p.json + (p.omitted ? ',"omitted":' + JSON.stringify(p.omitted) : '')
}

/** The header's keys (docs/FORMAT.md), `state` and its notes coming from `state`. */
interface HeaderFields {
  readonly v: unknown
  readonly session: unknown
  readonly ts: unknown
  readonly hash_alg: unknown
  readonly meta: unknown
  readonly redact: unknown
  readonly from_seq: unknown
  readonly hash: unknown
  readonly trimmed?: unknown
  readonly sink?: unknown
  readonly lossy_ignored?: unknown
}

/**
 * The header's `lossy_ignored`: the state paths `lossy.ignoredPaths` kept out of the log's lossy
 * notes (a RegExp as `{ regexp, flags }`), for replay to leave out too; undefined without any.
 */
function ignoredField(paths: readonly (string | RegExp)[] | undefined): unknown {
  return paths === undefined || paths.length === 0 ? undefined : paths.map((p) => (typeof p === 'string' ? p : { regexp: p.source, flags: p.flags }))
}

/** The `@@session` line's fields, each `,"key":…`; `state` is `,"state":…` with its `lossy`/`unwritable` notes. */
function headerFields(h: HeaderFields, state: string): string {
  return (
    ',"kind":"@@session"' + jsonField('v', h.v) + jsonField('session', h.session) + jsonField('ts', h.ts) + jsonField('hash_alg', h.hash_alg) +
    jsonField('meta', h.meta) + jsonField('redact', h.redact) + jsonField('from_seq', h.from_seq) + state + jsonField('hash', h.hash) + jsonField('trimmed', h.trimmed) + jsonField('sink', h.sink) + jsonField('lossy_ignored', h.lossy_ignored)
  )
}

/** The fields of a line that is not an action, by kind (the ring's `SpecialEntry`, or a parsed entry). */
type KindFields =
  | { readonly kind: '@@mark'; readonly label: unknown; readonly body?: unknown }
  | { readonly kind: '@@lifecycle'; readonly body: unknown; readonly state?: unknown }
  | { readonly kind: '@@error'; readonly body: unknown }
  | { readonly kind: '@@dropped'; readonly count: unknown; readonly reason: unknown; readonly sink?: unknown }
  | { readonly kind: '@@checkpoint'; readonly state: unknown; readonly reason?: unknown }
  | { readonly kind: '@@replaceReducer'; readonly threw?: unknown }
  | { readonly kind: '@@end'; readonly count: unknown; readonly dropped: unknown; readonly state: unknown }

/**
 * What a line that is not an action writes after its `kind` (`@@end`: after `t`), up to its
 * `hash`. `body` writes a body; `state` writes `,"state":…` with its notes.
 */
function kindFields(e: KindFields, body: Field, state: (value: unknown) => string): string {
  switch (e.kind) {
    case '@@mark':
      return jsonField('label', e.label) + body('body', e.body)
    case '@@lifecycle':
      return body('body', e.body) + (e.state === undefined ? '' : state(e.state))
    case '@@error':
      return body('body', e.body)
    case '@@dropped':
      return jsonField('count', e.count) + jsonField('reason', e.reason) + jsonField('sink', e.sink)
    case '@@checkpoint':
      return state(e.state) + jsonField('reason', e.reason)
    case '@@end':
      return jsonField('count', e.count) + jsonField('dropped', e.dropped) + state(e.state)
    case '@@replaceReducer':
      return jsonField('threw', e.threw)
    default:
      return ''
  }
}

/** What an action entry writes after its hash (and `changed`): what was left out, what is lossy. */
function actionNotes(recordable: unknown, omitted: unknown, lossy: unknown, stateLossy: unknown): string {
  return jsonField('recordable', recordable) + jsonField('omitted', omitted) + jsonField('lossy', lossy) + jsonField('stateLossy', stateLossy)
}

/** Every key a line of each kind writes, in the format's order; any other key follows them. */
const HEAD = ['seq', 'ts', 't', 'turn', 'kind']
const STATE = ['state', 'lossy', 'unwritable']
const KNOWN_KEYS = new Map<string, readonly string[]>([
  ['@@session', ['kind', 'v', 'session', 'ts', 'hash_alg', 'meta', 'redact', 'from_seq', ...STATE, 'hash', 'trimmed', 'sink', 'lossy_ignored']],
  ['action', [...HEAD, 'action', 'hash', 'changed', 'recordable', 'omitted', 'lossy', 'stateLossy']],
  ['@@mark', [...HEAD, 'label', 'body', 'omitted', 'hash']],
  ['@@lifecycle', [...HEAD, 'body', 'omitted', ...STATE, 'hash']],
  ['@@error', [...HEAD, 'body', 'hash']],
  ['@@dropped', [...HEAD, 'count', 'reason', 'sink', 'hash']],
  ['@@checkpoint', [...HEAD, ...STATE, 'reason', 'hash']],
  ['@@replaceReducer', [...HEAD, 'threw', 'hash']],
  ['@@end', ['kind', 'seq', 'ts', 't', 'count', 'dropped', ...STATE, 'hash']],
])

/**
 * One line of a `Recording` (its header, an entry, or `@@end`), written as the recorder writes
 * it: the format's keys in the format's order, then any other key the object carries, in its own
 * order; a key whose value JSON cannot write is left out, as JSON.stringify leaves it out. For a
 * line the recorder wrote, `entryText(JSON.parse(line)) === line`. `unhashed` (a log whose
 * `hash_alg` is `'none'`): a `null` hash of a line that is not an action is left out, as the
 * recorder leaves it out there (readers fill it in). Throws what JSON.stringify throws (a BigInt,
 * a cycle).
 */
export function entryText(entry: RecordingHeader | Entry | EndEntry, unhashed = false): string {
  // Not a line of the format (a recording put together by hand): written as JSON.stringify writes it.
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return JSON.stringify(entry)
  const e = entry as Record<string, unknown>
  const action = Object.prototype.hasOwnProperty.call(e, 'action')
  const kind = action ? 'action' : typeof e.kind === 'string' ? e.kind : ''
  const known = KNOWN_KEYS.get(kind)
  const state = (value: unknown) => jsonField('state', value) + jsonField('lossy', e.lossy) + jsonField('unwritable', e.unwritable)
  let fields: string
  if (kind === '@@session') fields = headerFields(e as unknown as HeaderFields, state(e.state))
  else {
    fields = (kind === '@@end' ? ',"kind":"@@end"' : '') + jsonField('seq', e.seq) + jsonField('ts', e.ts) + jsonField('t', e.t)
    if (kind !== '@@end') fields += jsonField('turn', e.turn) + jsonField('kind', e.kind)
    if (action) fields += jsonField('action', e.action) + jsonField('hash', e.hash) + jsonField('changed', e.changed) + actionNotes(e.recordable, e.omitted, e.lossy, e.stateLossy)
    else if (known) fields += kindFields(e as unknown as KindFields, jsonField, state) + (unhashed && e.hash === null ? '' : jsonField('hash', e.hash))
  }
  for (const key of Object.keys(e)) {
    if ((known ?? HEAD).includes(key)) continue
    const json = JSON.stringify(e[key])
    if (json !== undefined) fields += ',' + JSON.stringify(key) + ':' + json
  }
  return '{' + fields.slice(1) + '}'
}

/** `,"kind":<JSON of String(type)>,"action":`, for the last few hundred action types. */
const kindCache = new Map<string, string>()
let lastKindType: string | undefined
let lastKindField = ''
function kindField(type: unknown): string {
  // Runs of one action type are common: the last one is checked before the map.
  if (typeof type === 'string' && type === lastKindType) return lastKindField
  const kind = String(type)
  let json = kindCache.get(kind)
  if (json === undefined) {
    json = ',"kind":' + JSON.stringify(kind) + ',"action":'
    if (kindCache.size >= 512) kindCache.clear()
    kindCache.set(kind, json)
  }
  if (typeof type === 'string') {
    lastKindType = type
    lastKindField = json
  }
  return json
}

/**
 * A line whose full state is large: its text (one string for any sink, never flattened by the
 * recorder), and the same text in parts (the state's chunks as they were stringified), which the
 * package's own sinks write one by one (src/internal/lineParts.ts).
 */
export interface PartedLine extends PartedText {
  readonly parts: readonly string[]
}
export type Line = string | PartedLine

/** Where a state in parts goes in its line while the line is built (JSON text never holds U+0000). */
const MARK = '\u0000'

/** Projections made at dispatch kept for their lines, at most (see Lines.measured); past as many seqs, Lines' maps by seq drop those the buffer forgot. */
const MEASURED_MAX = 64

/** …and the most JSON text (characters) they hold together: a bound in bytes beside `maxBytes`' (64 lines of up to `maxEntryBytes` would be 16 MiB). */
const MEASURED_CHARS = 1 << 20

/** `line`, with the state in parts (when it is) where MARK stands. */
function inParts(line: string, state: string | string[]): Line {
  if (typeof state === 'string') return line
  const at = line.indexOf(MARK)
  const parts = [line.slice(0, at), ...state, line.slice(at + 1)]
  return { text: joined(parts), parts }
}

/** The text of a line. */
export const lineText = (line: Line): string => (typeof line === 'string' ? line : line.text)

/**
 * The UTF-8 size of an action's projection and its `omitted` notes (an action of 30,000
 * function-valued keys has a small projection and 30,000 notes: a 1.3 MB line); 0 when their
 * length is at most `under` (UTF-8 takes 1 to 3 bytes per UTF-16 unit: only a size in between needs counting).
 */
function projectedBytes(json: string, omitted: Omission[] | null, under = 0): number {
  const notes = omitted === null ? '' : JSON.stringify(omitted)
  return json.length + notes.length > under ? utf8Length(json) + utf8Length(notes) : 0
}

/**
 * The one writer of the log format (docs/FORMAT.md): the header and every entry as a JSONL line,
 * written exactly as `JSON.stringify` would write the same object.
 */
export class Lines {
  /**
   * Full states written incrementally and off the dispatch path (fr64 only: see stateJson.ts);
   * `null` until its chunk has loaded, and then `stateText` writes the same bytes synchronously.
   */
  states: StateJson | null = null
  constructor(
    private readonly settings: Settings,
    private readonly session: string,
    private readonly clock: Clock,
    private readonly ring: EntryRing,
    private readonly hashes: HashQueue,
    private readonly fault: (source: FaultSource, error: unknown, seq: number | null) => void,
    /** Lines lost so far, for `@@end`. */
    private readonly dropped: () => number,
    /** The recorder is closed (the `@@end` line is being written). */
    private readonly closed: () => boolean,
    /**
     * An action's line was over `maxEntryBytes`: it holds the type only (replay goes on from the
     * next full state). `known`: `oversized` found it at dispatch (its checkpoint is asked for).
     */
    private readonly tooLarge: (type: string, bytes: number | null, known: boolean) => void = () => {},
  ) {}

  /**
   * Actions `oversized` found over `maxEntryBytes` at dispatch, by seq, while the buffer holds them:
   * the UTF-8 size of their projected JSON when it was measured there, null when the bounded walk
   * decided (their line is then written without serialising them: see actionLine).
   */
  private readonly oversizedSeqs = new Map<number, number | null>()

  /**
   * Projections `oversized` made at dispatch and found small enough, by seq, until their line is
   * written: the line is written from them, so a `toJSON` or an instance of a class in an action is
   * projected once, not again at the flush. At most MEASURED_MAX of them, holding at most
   * MEASURED_CHARS of JSON (more are projected again).
   */
  private readonly measured = new Map<number, Projection>()

  /** Actions whose reducer call threw, by seq: the `threw` field of their line (JSON), while the buffer holds them. */
  private readonly threwSeqs = new Map<number, string>()

  /** The reducer threw on action `seq`: its line says with what (name and message). */
  threwAt(seq: number, error: unknown): void {
    this.forget(this.threwSeqs).set(seq, JSON.stringify(errorParts(error, 500)))
  }

  /**
   * Whether, at dispatch, the line of action `seq` will hold its type only (over `maxEntryBytes`).
   * The recorder then writes a checkpoint before the next action, so replay verifies what follows
   * (found when the line is written, the checkpoint came after every action recorded meanwhile: a
   * whole synchronous burst, or a buffer read at the end). A bounded walk decides (`jsonSize`,
   * counting what action redaction leaves); only an action it cannot (a size between its bounds, a
   * `toJSON`, an instance of a class) is projected and measured here, as its line will be.
   */
  oversized(action: Action, seq: number): boolean {
    const s = this.settings
    const size = jsonSize(action, s.maxEntryBytes, s.actionRedactor)
    if (size === 'small') return false
    let bytes: number | null = null
    if (size === 'unknown') {
      try {
        const projection = this.project(action, action.type)
        bytes = projectedBytes(projection.json, projection.omitted)
        if (bytes <= s.maxEntryBytes) {
          const kept = this.forget(this.measured)
          let chars = projection.json.length
          for (const p of kept.values()) chars += p.json.length
          if (kept.size < MEASURED_MAX && chars <= MEASURED_CHARS) kept.set(seq, projection)
          return false
        }
      } catch {
        return false
      }
    }
    this.forget(this.oversizedSeqs).set(seq, bytes)
    return true
  }

  /** `bySeq`, once it holds MEASURED_MAX seqs or more, without those of entries the buffer has forgotten. */
  private forget<T>(bySeq: Map<number, T>): Map<number, T> {
    if (bySeq.size >= MEASURED_MAX) for (const old of bySeq.keys()) if (old < this.ring.firstSeq) bySeq.delete(old)
    return bySeq
  }

  /**
   * Loads the incremental state writer (fr64 without `serializeState` only), a chunk of its own
   * that nothing synchronous waits for; `ready` gets it once it is there (to prepare the states
   * the next lines need). A chunk that cannot load leaves `stateText` in charge. Resolves once it
   * has arrived (or failed), at once when none is used.
   */
  loadStates(ready: (states: StateJson) => void): Promise<void> {
    const s = this.settings
    if (s.hash !== 'fr64' || s.serializeState) return Promise.resolve()
    return import('./state-json.js').then(
      ({ StateJson }) => {
        if (this.closed() || this.states) return
        ready((this.states = new StateJson(s.stateRedactor, s.lossy, keyLists(this.hashes.hasher!))))
      },
      () => {},
    )
  }

  /** The JSON of a full state with its `lossy` key (`stateText`), in parts when it is large (see StateJson.write). */
  private fullState(state: unknown, onUnwritable: (error: unknown) => void): string | string[] {
    const s = this.settings
    // (Development only: what JSON leaves out of the state unseen, a symbol key, said once.)
    if (process.env.NODE_ENV !== 'production' && s.serializeState === undefined && s.lossy?.warn !== false) warnSymbolKeys(state, s.lossy?.ignoredPaths)
    let failed: { error: unknown } | undefined
    const input = s.serializeState ? s.serializeState(state) : state
    const text = this.states ? this.states.write(input, (error) => (failed = { error })) : stateText(input, s.stateRedactor, s.lossy, (error) => (failed = { error }))
    if (failed === undefined) return text
    // A value no walk can read (a circular reference, a getter that throws, a revoked proxy) is left
    // out, as the hash leaves it out, and listed in `lossy`; anything else leaves the state unwritable.
    const { value, leftOut } = readableCopy(input)
    if (leftOut.length > 0) {
      let again = false
      const copy = stateText(value, s.stateRedactor, s.lossy, () => (again = true), leftOut, input)
      if (!again) return copy
    }
    onUnwritable(failed.error)
    return text
  }

  /**
   * The state as JSON (projected, redacted) with its `lossy` key; when it cannot be written,
   * `null,"unwritable":…`, the entry's hash dropped (replay can neither check nor restart from
   * it) and a fault.
   */
  private stateJson(state: unknown, seq: number): string | string[] {
    const unwritable = (error: unknown) => {
      // No live hash beside a `null` state; on `@@end` the line itself says why.
      const i = this.ring.index(seq)
      if (i >= 0) this.ring.flags[i] &= ~F_HASHED
      if (!this.closed()) this.fault('serialize', error, seq)
    }
    try {
      return this.fullState(state, unwritable)
    } catch (error) {
      unwritable(error)
      return 'null,"unwritable":' + JSON.stringify(errorText(error))
    }
  }

  /**
   * The `@@session` header of a log that starts at `fromSeq` from `state`; `sink`: the sink whose
   * log it starts (its place in `sinks`), which tells its own `@@dropped` from the other sinks'.
   */
  headerLine(fromSeq: number, state: unknown, trimmed: number, sink?: number): Line {
    const s = this.settings
    let stateJson: string | string[] = 'null'
    let hash: string | null = null
    try {
      let unwritable = false
      stateJson = this.fullState(state, (error) => {
        unwritable = true
        this.fault('serialize', error, null)
      })
      // A state that could not be written goes with no hash: replay cannot check or restart from it.
      if (!unwritable) hash = this.hashes.hashOf(state)
    } catch (error) {
      this.fault('serialize', error, null)
      stateJson = 'null'
    }
    const fields = headerFields(
      { v: s.formatVersion, session: this.session, ts: new Date(this.clock.startEpoch).toISOString(), hash_alg: s.hashAlg, meta: s.meta, redact: s.redactPaths, from_seq: fromSeq, hash, trimmed: trimmed > 0 ? trimmed : undefined, sink, lossy_ignored: ignoredField(s.lossy?.ignoredPaths) },
      ',"state":' + (typeof stateJson === 'string' ? stateJson : MARK),
    )
    return inParts('{' + fields.slice(1) + '}', stateJson)
  }

  /** The line of entry `seq`, which the ring holds. */
  entryLine(seq: number): Line {
    const ring = this.ring
    const i = ring.index(seq)
    const t = ring.t[i]
    const flags = ring.flags[i]
    const time = timeFields(this.clock.startEpoch + t, t)
    if (flags & F_ACTION) return this.actionLine(i, seq, time, ring.refs[i] as Action, flags)
    const special = ring.refs[i] as SpecialEntry
    let json: string | string[] = ''
    const state = (value: unknown) => {
      if (!(flags & F_STATE)) return ''
      json = this.stateJson(value, seq)
      return ',"state":' + (typeof json === 'string' ? json : MARK)
    }
    let line: string
    if (special.kind === '@@end') line = '{"kind":"@@end","seq":' + seq + time + kindFields({ kind: '@@end', count: special.count, dropped: this.dropped(), state: special.state }, bodyField, state)
    else line = '{"seq":' + seq + time + ',"turn":null,"kind":' + JSON.stringify(special.kind) + kindFields(special, bodyField, state)
    if (flags & F_STATE && this.settings.hash !== 'none') {
      const h = this.hashes.hashText(i)
      line += ',"hash":' + (h === null ? 'null' : JSON.stringify(h))
    }
    return inParts(line + '}', json)
  }

  /** The action (whose `type` is `type`) as its line holds it: a symbol type as its text, redacted. */
  private project(action: Action, type: unknown): Projection {
    return projectAction(typeof type === 'symbol' ? { ...action, type: String(type) } : action, this.settings.actionRedactor, this.settings.lossy)
  }

  private actionLine(i: number, seq: number, time: string, action: Action, flags: number): string {
    const ring = this.ring
    const s = this.settings
    const turnCol = ring.turn[i]
    const turn = turnCol >= 0 ? ',"turn":"t' + turnCol + '"' : turnCol === TURN_EXPLICIT ? ',"turn":' + JSON.stringify(turnName(action) ?? null) : ',"turn":null'
    let type: unknown
    try {
      type = action.type
    } catch {
      type = 'unknown'
    }
    // Found too large at dispatch: not serialised again (a page of data: ~180 ms for 10 MB in one
    // task); its size when it was measured there, otherwise only that it is over the limit (FORMAT.md).
    const known = this.oversizedSeqs.get(seq)
    let json = ''
    let omitted: Omission[] | null = null
    let lossy: LossyValue[] | null | undefined = null
    let bytes = known ?? 0
    if (known === undefined) {
      const early = this.measured.get(seq)
      if (early !== undefined) this.measured.delete(seq)
      ;({ json, omitted, lossy } = early ?? this.project(action, type))
      bytes = projectedBytes(json, omitted, s.maxEntryBytes / 3)
    }
    if (known !== undefined || bytes > s.maxEntryBytes) {
      json = '{"type":' + JSON.stringify(String(type)) + '}'
      omitted = [{ path: '<root>', kind: 'too-large', detail: known === null ? `>${s.maxEntryBytes}` : bytes }]
      lossy = null
      this.tooLarge(String(type), known === null ? null : bytes, known !== undefined)
    } else if (omitted !== null && process.env.NODE_ENV !== 'production' && s.lossy?.warn !== false) warnOmitted(omitted, String(type), s.lossy?.ignoredActionPaths)
    let line = '{"seq":' + seq + time + turn + kindField(type) + json
    let stateLossy: LossyValue[] | undefined
    if (s.hash === 'fr64') {
      if (flags & F_HASHED) {
        const changed = this.hashes.changed === null ? '' : this.hashes.changed.get(seq)
        const noted = this.hashes.stateLossy
        if (noted.size > 0) stateLossy = noted.get(seq)
        // The closing brace comes with the hash when nothing follows it.
        if (!omitted && changed === '' && !lossy && !stateLossy && this.threwSeqs.size === 0) return line + hashField(ring.hi[i], ring.lo[i], true)
        line += hashField(ring.hi[i], ring.lo[i], false) + changed
      } else line += ',"hash":null'
    } else if (s.hash !== 'none') {
      const h = this.hashes.hashText(i)
      line += ',"hash":' + (h === null ? 'null' : JSON.stringify(h))
    }
    if (omitted || lossy || stateLossy) line += actionNotes(omitted ? false : undefined, omitted ?? undefined, lossy ?? undefined, stateLossy)
    const threw = this.threwSeqs.size === 0 ? undefined : this.threwSeqs.get(seq)
    return line + (threw === undefined ? '}' : ',"threw":' + threw + '}')
  }
}
