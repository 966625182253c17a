// Property testing from recorded sessions. fast-check (an optional peer dependency) is a static
// import of this entry only: the other entries never load it.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import * as fc from 'fast-check'
import type { Arbitrary, Parameters as FcParameters } from 'fast-check'
import type { Action, Reducer } from 'redux'
import type { ActionEntry, Entry, Recording, RecordingHeader } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { jsonLine } from '../internal/describe'
import { FORMAT_VERSION } from '../format/types'
import { Fr64Hasher, stateHash } from '../hash'
import { encodeRecording, isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { errorText } from '../internal/errorText'
import { relinkUndoHistories } from '../replay/undoHistories'

/** A recording, or its JSONL text. */
export type RecordingSource = Recording | string

export interface ActionsFromOptions {
  /** @default 1 */
  minLength?: number
  /** @default 30 */
  maxLength?: number
  /**
   * Only these action types. An async thunk's lifecycle is one unit named by the thunk's type
   * (`'orders/place'` for `orders/place/pending` and its `fulfilled`/`rejected`).
   */
  types?: string[]
  /** Leave these action types (or thunk types) out. */
  exclude?: string[]
  /**
   * `'type'`: every action type (thunk lifecycle) is equally likely, whatever its count in the
   * recordings; `'recorded'`: as often as recorded.
   * @default 'type'
   */
  weighting?: 'type' | 'recorded'
  /** How many later elements a thunk's `fulfilled`/`rejected` may come after its `pending`. @default 3 */
  maxDelay?: number
  /** Also use actions that lost values JSON cannot carry (`recordable: false`). @default false */
  includeNonRecordable?: boolean
}

/** One invariant: `false` or a thrown error means it does not hold for `state`. */
export type Invariant<S = any> = (state: S, step: InvariantStep<S>) => boolean | void

export interface InvariantStep<S = any> {
  /** 0-based index of the action just applied; -1 for the starting state. */
  index: number
  /** The action just applied (`null` for the starting state). */
  action: Action | null
  /** The state before the action (the starting state for index -1). */
  previous: S
}

export interface InvariantViolation {
  /** The invariant's name (its key, or the function's name); `'(reducer threw)'` when the reducer threw. */
  invariant: string
  /** 0-based index of the action after which it failed; -1 for the starting state. */
  index: number
  /** The action's type, or `null` for the starting state. */
  kind: string | null
  action: Action | null
  /** The error thrown, if the invariant (or the reducer) threw. */
  message?: string
}

export interface CheckInvariantsOptions<S = any> {
  /** The recordings whose actions the sequences are drawn from (Recordings or JSONL text). */
  from: RecordingSource | RecordingSource[]
  /** The state each sequence starts from. @default the first recording's header state */
  initialState?: S
  /** The sequences to check: an arbitrary of your own, or options for `actionsFrom(from, …)`. */
  actions?: Arbitrary<Action[]> | ActionsFromOptions
  /** Sequences to try. @default fast-check's default (100) */
  numRuns?: number
  /** fast-check seed, to reproduce a run. */
  seed?: number
  /** Other fast-check parameters (`path`, `verbose`, `endOnFailure`, …). */
  params?: FcParameters<[Action[]]>
  /** Also write the counterexample log to this file. */
  counterexampleFile?: string
}

export interface CheckInvariantsReport {
  numRuns: number
  seed: number
}

/** Thrown by `checkInvariants` with the shrunk counterexample as a log. */
export class InvariantViolationError extends FlightRecorderError {
  override name = 'InvariantViolationError'
  readonly violation: InvariantViolation
  /** The counterexample: a log that `replay` and `expectReplay` accept (hashes from the reducer checked). */
  readonly recording: Recording
  /** The same as JSONL text. */
  readonly jsonl: string
  /** The actions of the counterexample. */
  readonly actions: Action[]
  /** fast-check's seed and path, to reproduce the run (`seed`, `params: { path }`). */
  readonly seed: number
  readonly path: string | undefined
  /** How many times fast-check shrank the first failing sequence, and how long that one was. */
  readonly numShrinks: number
  readonly originalLength: number
  /** Where the counterexample was written (`counterexampleFile`). */
  readonly file: string | undefined
  constructor(
    message: string,
    details: {
      violation: InvariantViolation
      recording: Recording
      jsonl: string
      actions: Action[]
      seed: number
      path: string | undefined
      numShrinks: number
      originalLength: number
      file: string | undefined
    },
  ) {
    super('invariant-violated', message)
    this.violation = details.violation
    this.recording = details.recording
    this.jsonl = details.jsonl
    this.actions = details.actions
    this.seed = details.seed
    this.path = details.path
    this.numShrinks = details.numShrinks
    this.originalLength = details.originalLength
    this.file = details.file
  }
}

function toRecordings(input: RecordingSource | RecordingSource[], caller: string): Recording[] {
  const list = Array.isArray(input) ? input : [input]
  if (list.length === 0) throw new TypeError(`[redux-flight-recorder] \`${caller}\` needs at least one recording to draw actions from.`)
  return list.map((r) => {
    if (typeof r === 'string') return parseRecording(r, { strict: false })
    if (typeof r !== 'object' || r === null || typeof r.header !== 'object' || !Array.isArray(r.entries)) {
      throw new TypeError(`[redux-flight-recorder] \`${caller}\` expected Recordings or JSONL text to draw actions from.`)
    }
    return r
  })
}

/** An element of a generated sequence: one recorded action, or an async thunk's lifecycle. */
type Unit = { kind: 'plain'; action: Action } | { kind: 'thunk'; requestId: string; pending: Action; settle: Action | null }
type Element = { unit: Unit; delay: number }

interface ThunkMeta {
  requestId?: unknown
  requestStatus?: unknown
}

function thunkMeta(action: ActionEntry['action']): { requestId: string; status: string } | null {
  const meta = action.meta as ThunkMeta | undefined
  if (!meta || typeof meta !== 'object' || typeof meta.requestId !== 'string') return null
  const status = meta.requestStatus
  if (status !== 'pending' && status !== 'fulfilled' && status !== 'rejected') return null
  return { requestId: meta.requestId, status }
}

/** Recorded actions grouped by type (thunk lifecycles by the thunk's type and outcome), deduplicated. */
function poolOf(recordings: Recording[], options: ActionsFromOptions): Map<string, { name: string; units: Unit[] }> {
  const pool = new Map<string, { name: string; units: Unit[]; seen: Set<string> }>()
  const add = (key: string, name: string, unit: Unit) => {
    let group = pool.get(key)
    if (!group) pool.set(key, (group = { name, units: [], seen: new Set() }))
    const fingerprint = JSON.stringify(unit.kind === 'plain' ? unit.action : [unit.pending, unit.settle])
    if (group.seen.has(fingerprint)) return
    group.seen.add(fingerprint)
    group.units.push(unit)
  }
  const wanted = (name: string) => (!options.types || options.types.includes(name)) && !(options.exclude ?? []).includes(name)
  for (const rec of recordings) {
    const open = new Map<string, { pending: Action; name: string; order: number }>()
    const lifecycles: { order: number; name: string; unit: Unit }[] = []
    let order = 0
    const plain: { order: number; type: string; unit: Unit }[] = []
    for (const entry of rec.entries) {
      if (!isActionEntry(entry)) continue
      if (entry.recordable === false && !options.includeNonRecordable) continue
      const action = entry.action as Action & ActionEntry['action']
      const type = String(action.type)
      const thunk = thunkMeta(action)
      order++
      if (thunk && thunk.status === 'pending' && type.endsWith('/pending')) {
        open.set(thunk.requestId, { pending: action, name: type.slice(0, -'/pending'.length), order })
        continue
      }
      if (thunk && open.has(thunk.requestId)) {
        const p = open.get(thunk.requestId)!
        open.delete(thunk.requestId)
        lifecycles.push({ order: p.order, name: p.name, unit: { kind: 'thunk', requestId: thunk.requestId, pending: p.pending, settle: action } })
        continue
      }
      plain.push({ order, type, unit: { kind: 'plain', action } })
    }
    for (const [requestId, p] of open) lifecycles.push({ order: p.order, name: p.name, unit: { kind: 'thunk', requestId, pending: p.pending, settle: null } })
    const all = [...plain.map((p) => ({ order: p.order, name: p.type, key: p.type, unit: p.unit })), ...lifecycles.map((l) => ({ order: l.order, name: l.name, key: `${l.name} → ${outcome(l.unit)}`, unit: l.unit }))]
    all.sort((a, b) => a.order - b.order)
    for (const u of all) if (wanted(u.name)) add(u.key, u.name, u.unit)
  }
  return pool
}

function outcome(unit: Unit): string {
  if (unit.kind !== 'thunk' || !unit.settle) return 'in flight'
  return String((unit.settle as { meta?: ThunkMeta }).meta?.requestStatus)
}

function withRequestId(action: Action, requestId: string): Action {
  const a = action as Action & { meta: Record<string, unknown> }
  const copy: Action & { meta: Record<string, unknown> } = { ...a, meta: { ...a.meta, requestId } }
  return copy
}

/** Lays out elements as actions: a thunk's settle action comes `delay` elements after its pending one. */
function flatten(elements: Element[]): Action[] {
  const out: Action[] = []
  const waiting: { at: number; action: Action }[] = []
  const uses = new Map<string, number>()
  elements.forEach((el, i) => {
    const unit = el.unit
    if (unit.kind === 'plain') out.push(unit.action)
    else {
      // The same recorded lifecycle drawn twice gets distinct request ids, as two real calls would.
      const n = uses.get(unit.requestId) ?? 0
      uses.set(unit.requestId, n + 1)
      const id = n === 0 ? unit.requestId : `${unit.requestId}~${n}`
      out.push(n === 0 ? unit.pending : withRequestId(unit.pending, id))
      if (unit.settle) waiting.push({ at: i + el.delay, action: n === 0 ? unit.settle : withRequestId(unit.settle, id) })
    }
    for (let w = 0; w < waiting.length; ) {
      if (waiting[w].at <= i) out.push(waiting.splice(w, 1)[0].action)
      else w++
    }
  })
  for (const w of waiting) out.push(w.action)
  return out
}

function buildArbitrary(recordings: Recording[], options: ActionsFromOptions): Arbitrary<Action[]> {
  const minLength = options.minLength ?? 1
  const maxLength = options.maxLength ?? 30
  const maxDelay = options.maxDelay ?? 3
  if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 0 || maxLength < minLength) {
    throw new TypeError(`[redux-flight-recorder] Expected \`minLength\` and \`maxLength\` to be whole numbers with minLength ≤ maxLength. Instead, received: ${minLength} and ${maxLength}.`)
  }
  if (!Number.isInteger(maxDelay) || maxDelay < 0) {
    throw new TypeError(`[redux-flight-recorder] Expected \`maxDelay\` to be a whole number. Instead, received: ${String(options.maxDelay)}.`)
  }
  if (options.weighting !== undefined && options.weighting !== 'type' && options.weighting !== 'recorded') {
    throw new TypeError(`[redux-flight-recorder] Expected \`weighting\` to be 'type' or 'recorded'. Instead, received: ${String(options.weighting)}.`)
  }
  const pool = poolOf(recordings, options)
  if (pool.size === 0) {
    throw new FlightRecorderError(
      'no-actions',
      `The recordings hold no actions to draw from${options.types || options.exclude ? ' with these `types`/`exclude`' : ''}.`,
    )
  }
  const delay = maxDelay === 0 ? fc.constant(0) : fc.nat({ max: maxDelay })
  const groups = [...pool.values()].map((g) => {
    const arb = fc.tuple(fc.constantFrom(...g.units), g.units.some((u) => u.kind === 'thunk') ? delay : fc.constant(0)).map(([unit, d]): Element => ({ unit, delay: d }))
    return { arbitrary: arb, weight: options.weighting === 'recorded' ? g.units.length : 1 }
  })
  const element = groups.length === 1 ? groups[0].arbitrary : fc.oneof(...groups)
  return fc.array(element, { minLength, maxLength }).map(flatten)
}

/**
 * A fast-check arbitrary of action sequences built from recorded sessions: each element is a
 * recorded action (types equally likely by default, payloads as recorded), and an async thunk's
 * `pending` is always followed, possibly after other actions, by its recorded `fulfilled` or
 * `rejected`. Returns the arbitrary itself, synchronously.
 *
 * @example
 * const actions = actionsFrom([session])
 * fc.assert(fc.property(actions, (seq) => { let s = start; for (const a of seq) s = reducer(s, a); return s.stock >= 0 }))
 */
export function actionsFrom(recordings: RecordingSource | RecordingSource[], options: ActionsFromOptions = {}): Arbitrary<Action[]> {
  return buildArbitrary(toRecordings(recordings, 'actionsFrom'), options)
}


function namedInvariants<S>(invariants: Record<string, Invariant<S>> | Invariant<S>[] | Invariant<S>): [string, Invariant<S>][] {
  const list: [string, Invariant<S>][] =
    typeof invariants === 'function'
      ? [[invariants.name || 'invariant', invariants]]
      : Array.isArray(invariants)
        ? invariants.map((f, i) => [f?.name || `invariant ${i + 1}`, f])
        : typeof invariants === 'object' && invariants !== null
          ? Object.entries(invariants)
          : []
  if (list.length === 0 || list.some(([, f]) => typeof f !== 'function')) {
    throw new TypeError('[redux-flight-recorder] Expected `invariants` to be a function, an array of functions, or an object of named functions (state, step) => boolean.')
  }
  return list
}

function checkState<S>(invariants: [string, Invariant<S>][], state: S, step: InvariantStep<S>): InvariantViolation | null {
  for (const [name, invariant] of invariants) {
    let holds: boolean
    let message: string | undefined
    try {
      holds = invariant(state, step) !== false
    } catch (error) {
      holds = false
      message = errorText(error)
    }
    if (!holds) {
      const v: InvariantViolation = { invariant: name, index: step.index, kind: step.action ? String(step.action.type) : null, action: step.action }
      if (message !== undefined) v.message = message
      return v
    }
  }
  return null
}

/** Folds the actions over the reducer, checking every invariant after each step. */
function fold<S>(reducer: Reducer<S, any>, start: S, actions: Action[], invariants: [string, Invariant<S>][]): { violation: InvariantViolation | null; states: S[] } {
  const states: S[] = []
  let state = start
  for (let index = 0; index < actions.length; index++) {
    const action = actions[index]
    const previous = state
    try {
      state = reducer(state, action)
    } catch (error) {
      return { violation: { invariant: '(reducer threw)', index, kind: String(action.type), action, message: errorText(error) }, states }
    }
    states.push(state)
    const violation = checkState(invariants, state, { index, action, previous })
    if (violation) return { violation, states }
  }
  return { violation: null, states }
}

/** Writes the counterexample log to `path` (folders made), when given; returns where. */
function writeCounterexample(path: string | undefined, jsonl: string): string | undefined {
  if (!path) return undefined
  const file = resolve(path)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, jsonl)
  return file
}

/** The counterexample as a log: the start state, each action with the hash of the state it gave, a mark, `@@end`. */
function counterexampleLog(start: unknown, actions: Action[], states: unknown[], violation: InvariantViolation, seed: number): Recording {
  const ts = new Date().toISOString()
  const header: RecordingHeader = {
    kind: '@@session',
    v: FORMAT_VERSION,
    session: `counterexample-${seed}`,
    ts,
    hash_alg: 'fr64',
    meta: { source: 'checkInvariants', invariant: violation.invariant, seed: String(seed) },
    redact: { state: [], actions: [] },
    from_seq: 1,
    state: JSON.parse(JSON.stringify(start) ?? 'null'),
    hash: stateHash(start),
  }
  const hasher = new Fr64Hasher()
  const entries: Entry[] = []
  let prev: unknown = undefined
  const kept = actions.slice(0, violation.index + 1)
  kept.forEach((action, i) => {
    const state = states[i]
    let hash: string | null = null
    if (i < states.length) {
      hasher.hash(state, prev)
      prev = state
      hash = hasher.hex()
    }
    entries.push({ seq: i + 1, ts, t: i, turn: `t${i + 1}`, kind: String(action.type), action: JSON.parse(JSON.stringify(action)), hash } as ActionEntry)
  })
  const markBody: Record<string, unknown> = { invariant: violation.invariant, index: violation.index }
  if (violation.message !== undefined) markBody.message = violation.message
  entries.push({ seq: kept.length + 1, ts, t: kept.length, turn: null, kind: '@@mark', label: 'invariant violated', body: markBody } as Entry)
  const rec: Recording = { header, entries, warnings: [] }
  if (states.length === kept.length) {
    const last = kept.length === 0 ? start : states[kept.length - 1]
    rec.end = { kind: '@@end', seq: kept.length + 2, ts, t: kept.length, count: kept.length, dropped: 0, state: JSON.parse(JSON.stringify(last) ?? 'null'), hash: stateHash(last) }
  }
  return rec
}

const INLINE_LIMIT = 8 * 1024

/**
 * The counterexample's actions, one per line (each cut at 300 characters, at most 50 of them): what a
 * reader needs when the log, with a large starting state, is too long to show.
 */
function actionList(actions: readonly unknown[]): string {
  const lines = actions.slice(0, 50).map((a, i) => `  ${i + 1}. ${jsonLine(a, 300, 'undefined')}\n`)
  return lines.join('') + (actions.length > 50 ? `  … and ${actions.length - 50} more\n` : '')
}

/**
 * Property test over recorded sessions: fast-check generates action sequences from the recordings
 * (`actionsFrom`), each is folded over the reducer from the recording's starting state, and every
 * invariant is checked after each step. Resolves when none fails; otherwise fast-check shrinks the
 * failing sequence and this rejects with an `InvariantViolationError` holding the counterexample
 * as a log (`error.jsonl`, `error.recording`, optionally written to `counterexampleFile`) that
 * `replay` and `expectReplay` accept. The reducer throwing counts as a failure too.
 *
 * @example
 * await checkInvariants(reducer, { stockNeverNegative: (s) => s.stock.available >= 0 }, { from: session })
 */
export async function checkInvariants<S>(
  reducer: Reducer<S, any>,
  invariants: Record<string, Invariant<S>> | Invariant<S>[] | Invariant<S>,
  options: CheckInvariantsOptions<S>,
): Promise<CheckInvariantsReport> {
  if (typeof reducer !== 'function') throw new TypeError('[redux-flight-recorder] Expected the reducer to check as the first argument of `checkInvariants`.')
  const named = namedInvariants(invariants)
  if (typeof options !== 'object' || options === null || options.from === undefined) {
    throw new TypeError('[redux-flight-recorder] Expected `checkInvariants` options with `from`: the recordings to draw actions from.')
  }
  const recordings = toRecordings(options.from, 'checkInvariants')
  // (The log's state as replay starts from it: redux-undo's links restored.)
  const start = (Object.prototype.hasOwnProperty.call(options, 'initialState') ? options.initialState : relinkUndoHistories(recordings[0].header.state)) as S
  const atStart = checkState(named, start, { index: -1, action: null, previous: start })
  if (atStart) {
    // No sequence was tried: the counterexample is the starting state alone (index -1, as documented).
    const seed = options.seed ?? 0
    const recording = counterexampleLog(start, [], [], atStart, seed)
    const jsonl = encodeRecording(recording)
    const file = writeCounterexample(options.counterexampleFile, jsonl)
    throw new InvariantViolationError(
      `Invariant \`${atStart.invariant}\` does not hold for the starting state${atStart.message ? ` (${atStart.message})` : ''}, before any action: check the invariant, or pass \`initialState\`.`,
      { violation: atStart, recording, jsonl, actions: [], seed, path: undefined, numShrinks: 0, originalLength: 0, file },
    )
  }
  const given = options.actions
  const arbitrary =
    given && typeof (given as Arbitrary<Action[]>).generate === 'function'
      ? (given as Arbitrary<Action[]>)
      : buildArbitrary(recordings, (given ?? {}) as ActionsFromOptions)
  let originalLength = -1
  const property = fc.property(arbitrary, (actions) => {
    const holds = fold(reducer, start, actions, named).violation === null
    if (!holds && originalLength < 0) originalLength = actions.length
    return holds
  })
  const params: FcParameters<[Action[]]> = { ...options.params }
  if (options.numRuns !== undefined) params.numRuns = options.numRuns
  if (options.seed !== undefined) params.seed = options.seed
  const details = fc.check(property, params)
  if (!details.failed) return { numRuns: details.numRuns, seed: details.seed }
  if (!details.counterexample) {
    throw new FlightRecorderError('property-failed', `fast-check stopped without a counterexample (seed ${details.seed}).`, { cause: details.errorInstance })
  }
  const [actions] = details.counterexample
  const { violation, states } = fold(reducer, start, actions, named)
  if (!violation) {
    throw new FlightRecorderError('property-failed', `fast-check reported a counterexample that holds when folded again: the reducer or an invariant is not deterministic (seed ${details.seed}).`)
  }
  const recording = counterexampleLog(start, actions, states, violation, details.seed)
  const jsonl = encodeRecording(recording)
  const file = writeCounterexample(options.counterexampleFile, jsonl)
  const n = violation.index + 1
  const what =
    violation.invariant === '(reducer threw)'
      ? `The reducer threw at action ${n} (${violation.kind}): ${violation.message}`
      : `Invariant \`${violation.invariant}\` does not hold after action ${n} (${violation.kind})${violation.message ? `: ${violation.message}` : ''}`
  const message =
    `${what}.\n` +
    `fast-check found it with seed ${details.seed} and shrank it from ${originalLength} to ${n} action${n === 1 ? '' : 's'} (${details.numShrinks} shrinks); ` +
    `run it again with \`seed: ${details.seed}, params: { path: ${JSON.stringify(details.counterexamplePath)} }\`.\n` +
    `The counterexample as a log that replay() and expectReplay() accept${file ? ` (written to ${file})` : ''}` +
    (violation.invariant === '(reducer threw)'
      ? '; its last step has no hash (the reducer threw there, so no state was reached): once the reducer is fixed, `expectReplay(log, { reducer, allowUnverified: true })` checks the steps before it and that the last one replays'
      : '') +
    ':\n' +
    (jsonl.length <= INLINE_LIMIT ? jsonl : `(${jsonl.length} characters: see \`error.jsonl\`, or pass \`counterexampleFile\`); its actions:\n${actionList(actions.slice(0, n))}`)
  throw new InvariantViolationError(message, {
    violation,
    recording,
    jsonl,
    actions: actions.slice(0, n),
    seed: details.seed,
    path: details.counterexamplePath ?? undefined,
    numShrinks: details.numShrinks,
    originalLength,
    file,
  })
}
