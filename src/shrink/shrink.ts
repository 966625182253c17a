import type { Reducer } from 'redux'
import type { EndEntry, Entry, Recording, RecordingHeader } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { parseRecording } from '../format/index.js'
import { isActionEntry, isRebaseCheckpoint } from '../format/types'
import { describe } from '../internal/describe'
import { logRedactor } from '../redact'
import { formatDivergence } from '../replay/formatDivergence'
import { replay } from '../replay/replay'
import { checkReplayTarget } from '../replay/target'
import type { DivergenceReason, ReplayOptions, ReplayResult, ReplayStore } from '../replay/types'
import { stringifyState } from '../serialize'
import { stateHasher } from './stateHasher'

/**
 * The failure a shrunk log must keep: the same reason, at an action of the same type, and for a
 * thrown error the same error (name, and message up to its digits).
 */
export interface ShrinkFailure {
  reason: DivergenceReason
  /** The action type at which the replay diverges or the reducer throws. */
  kind: string
  /** For a thrown error, its name (`TypeError`). */
  errorName?: string
  /**
   * For a thrown error, its message as the whole log's replay gave it. A candidate's error must
   * have the same message, except that runs of digits may differ (a count, an index: `n is 11` and
   * `n is 10` are the same failure; `reading 'push'` and `reading 'history'` are not).
   */
  errorMessage?: string
}

export interface ShrinkProgress {
  /** `'check'`: reproducing the failure; `'turns'`: removing whole turns; `'actions'`: single actions. */
  phase: 'check' | 'turns' | 'actions' | 'done'
  /** Replays used so far. */
  replays: number
  maxReplays: number
  /** Action entries in the input log. */
  from: number
  /** Action entries in the smallest failing log found so far. */
  actions: number
  /** How many turns or actions the current pass tries to remove at once. */
  chunk: number
}

/** A passing baseline: the reducer (or store) the kept steps' hashes are recomputed with. */
export type ShrinkBaseline = Reducer<any, any> | { reducer?: Reducer<any, any>; createStore?: (preloadedState: any) => ReplayStore }

export interface ShrinkOptions<S = any> extends Omit<ReplayOptions<S>, 'until' | 'onStep'> {
  /**
   * Whether a candidate log still fails, from its replay into `reducer`/`createStore`. Default:
   * the replay diverges, or the reducer throws, for the same reason and at the same action type
   * as the whole log (for a thrown error, also with the same error name and message, runs of
   * digits aside: see `ShrinkFailure.errorMessage`).
   */
  fails?: (result: ReplayResult<S>, candidate: Recording) => boolean
  /**
   * A reducer that replays the log correctly (the version that recorded it, or the fixed one).
   * Each candidate's hashes are recomputed with it, so the shrunk log passes on the baseline and
   * fails on the reducer under test. Needed to shrink a hash divergence; without it candidates
   * are replayed without hashes, which suits reducers that throw and custom `fails` predicates.
   * With the default failure, a candidate also leaves out the later actions the baseline throws
   * on without the ones removed (an action about an entity whose `added` was removed), rather
   * than being of no use; it is kept only if, replayed as it is, it still fails.
   */
  baseline?: ShrinkBaseline
  /**
   * Most replays to spend (each candidate tried is one; with `baseline` it is also folded over the
   * baseline to recompute its hashes, which is not counted; a candidate that left out actions the
   * baseline threw on, and fails, is replayed once more as it is, and that replay is counted); past it the smallest
   * failing log found so far is returned.
   * @default 1000
   */
  maxReplays?: number
  /** Called after every replay. */
  onProgress?: (progress: ShrinkProgress) => void
}

export interface ShrinkReport {
  /** Action entries in the input log. */
  from: number
  /** Action entries in the shrunk log. */
  to: number
  /** Replays used, the final check of the shrunk log included; never more than `maxReplays`. */
  replays: number
  maxReplays: number
  /** The budget ran out: the log still fails but may not be minimal. */
  exhausted: boolean
  /** Removing any one remaining action makes the failure go away (1-minimal). */
  minimal: boolean
  /** The hashes were recomputed with `baseline`; the log ends with `@@end` holding the baseline's final state. */
  rehashed: boolean
  /** The failure kept, or `null` with a custom `fails`. */
  failure: ShrinkFailure | null
  /** The replay of the shrunk log into the reducer under test. */
  result: ReplayResult
}

/** A `Recording` that replays on its own, with what the shrinking did in `shrink`. */
export interface ShrunkRecording extends Recording {
  shrink: ShrinkReport
}

const DEFAULT_MAX_REPLAYS = 1000

class BudgetExhausted extends Error {}
/** Thrown from `onStep` to stop a replay at its first hash mismatch. */
const STOP = Symbol('stop')

/** One entry of the log as the shrinker sees it: an action it may remove, or an entry it keeps. */
interface Item {
  entry: Entry
  /** Index among the action entries, or -1 for an entry always kept (a rebase point, a reducer replacement). */
  action: number
}

function toRecording(input: Recording | string, options: ShrinkOptions): Recording {
  if (typeof input === 'string') return parseRecording(input, { strict: false, ...options.parse })
  if (typeof input !== 'object' || input === null || typeof input.header !== 'object' || input.header === null || !Array.isArray(input.entries)) {
    throw new TypeError(`[redux-flight-recorder] Expected a Recording or JSONL text to shrink. Instead, received: ${describe(input)}.`)
  }
  return input
}

/**
 * The entries a candidate is built from: action entries, and the entries replay needs to reach the
 * same states (rebase checkpoints, DevTools state changes, reducer replacements). Action entries
 * replay never dispatched (after a gap, before the next full state) are left out; the full state
 * after a gap becomes a rebase checkpoint, since candidates are renumbered without gaps.
 */
function itemsOf(rec: Recording): { items: Item[]; actions: Item[] } {
  const items: Item[] = []
  const actions: Item[] = []
  let expected = rec.header.from_seq
  let lost = false
  for (const entry of rec.entries) {
    if (entry.seq > expected) lost = true
    expected = entry.seq + 1
    if (isActionEntry(entry)) {
      if (lost) continue
      const item = { entry, action: actions.length }
      items.push(item)
      actions.push(item)
      continue
    }
    const hasState = Object.prototype.hasOwnProperty.call(entry, 'state')
    if (entry.kind === '@@checkpoint') {
      const reason = (entry as { reason?: unknown }).reason
      if (lost) {
        items.push({ entry: { ...entry, reason: 'resume', note: 'entries before this checkpoint are missing from the original log' }, action: -1 })
        lost = false
      } else if (isRebaseCheckpoint(reason)) items.push({ entry, action: -1 })
    } else if (entry.kind === '@@lifecycle' && hasState) {
      items.push({ entry, action: -1 })
      lost = false
    } else if (entry.kind === '@@replaceReducer' && !lost) {
      items.push({ entry: { ...entry, hash: null }, action: -1 })
    }
  }
  return { items, actions }
}

function baselineOptions(baseline: ShrinkBaseline): Pick<ReplayOptions, 'reducer' | 'createStore'> {
  if (typeof baseline === 'function') return { reducer: baseline }
  if (typeof baseline === 'object' && baseline !== null && (typeof baseline.reducer === 'function' || typeof baseline.createStore === 'function')) {
    return typeof baseline.reducer === 'function' ? { reducer: baseline.reducer } : { createStore: baseline.createStore }
  }
  throw new TypeError(`[redux-flight-recorder] Expected \`baseline\` to be a reducer, or { reducer } or { createStore }. Instead, received: ${describe(baseline)}.`)
}

function failureOf(result: ReplayResult): ShrinkFailure | null {
  const d = result.divergence
  if (!d) return null
  const failure: ShrinkFailure = { reason: d.reason, kind: d.kind }
  if (d.error) {
    failure.errorName = d.error.name
    failure.errorMessage = d.error.message
  }
  return failure
}

/**
 * A message with each run of digits as `#`: a candidate's crash may name another count or index
 * than the whole log's (fewer actions before it), and still be the same bug; another property or
 * another entity's name is another crash (a shrunk log that fails for another reason than the bug
 * report goes on failing once the bug is fixed).
 */
const messageShape = (message: unknown): string => String(message).replace(/\d+/g, '#')

function sameFailure(target: ShrinkFailure): (result: ReplayResult) => boolean {
  const message = target.errorMessage === undefined ? undefined : messageShape(target.errorMessage)
  return (result) => {
    const d = result.divergence
    return (
      d !== undefined &&
      d.reason === target.reason &&
      d.kind === target.kind &&
      (target.errorName === undefined || d.error?.name === target.errorName) &&
      (message === undefined || (d.error !== undefined && messageShape(d.error.message) === message))
    )
  }
}

/**
 * Shrinks a failing log to a small one that fails the same way: delta debugging over its action
 * entries, whole turns first, then single actions. Every candidate is replayed from the header's
 * state as recorded; the result replays on its own (`replay`, `expectReplay`,
 * `flight-recorder verify`). Kept entries are renumbered from the header's `from_seq` and carry
 * their original seq as `orig_seq`.
 *
 * Without `baseline`, candidates carry no hashes: the default failure is the reducer throwing (or
 * an adapter failing) at the same action type, with the same error (name, and message up to its
 * digits), so the shrunk log does not fail for another reason once the bug is fixed. With
 * `baseline`, each candidate's hashes are recomputed with it, so a divergence (a regression) can
 * be shrunk too, and the shrunk log passes on the baseline; a candidate then also loses the later
 * actions the baseline throws on without the ones removed, so a log whose actions need earlier
 * ones (a task renamed needs it added) shrinks in a few dozen replays, not one action at a time.
 *
 * @example
 * const min = shrinkRecording(bugReport, { reducer })
 * console.log(`${min.shrink.from} → ${min.shrink.to} actions in ${min.shrink.replays} replays`)
 * writeFileSync('min.jsonl', encodeRecording(min))
 */
export function shrinkRecording<S = any>(recording: Recording | string, options: ShrinkOptions<S>): ShrunkRecording {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[redux-flight-recorder] Expected shrink options { reducer } or { createStore }. Instead, received: ${describe(options)}.`)
  }
  checkReplayTarget(options, 'Expected `reducer` or `createStore` in the shrink options: the reducer under test, which the log fails on.')
  if (options.fails !== undefined && typeof options.fails !== 'function') {
    throw new TypeError(`[redux-flight-recorder] Expected \`fails\` to be a function (result, candidate) => boolean. Instead, received: ${describe(options.fails)}.`)
  }
  const maxReplays = options.maxReplays ?? DEFAULT_MAX_REPLAYS
  if (!Number.isSafeInteger(maxReplays) || maxReplays < 2) {
    throw new TypeError(`[redux-flight-recorder] Expected \`maxReplays\` to be an integer of at least 2. Instead, received: ${describe(options.maxReplays)}.`)
  }
  const base = options.baseline === undefined ? undefined : baselineOptions(options.baseline)
  const rec = toRecording(recording, options)
  const customFails = options.fails
  const onProgress = options.onProgress
  const replayOptions: ReplayOptions = { ...options }
  for (const key of ['fails', 'baseline', 'maxReplays', 'onProgress', 'until', 'onStep'] as const) delete (replayOptions as Record<string, unknown>)[key]
  const testOptions = replayOptions
  const { items, actions } = itemsOf(rec)
  const from = actions.length
  if (from === 0) throw new FlightRecorderError('nothing-to-shrink', 'The log has no action entries to shrink.')

  const header: RecordingHeader = { ...rec.header }
  delete header.shrunk
  if (base) {
    const alg = stateHasher(header, options).alg
    if (header.hash_alg !== alg) {
      // A log recorded with `hash: false`: the baseline gives it fr64 hashes.
      header.hash_alg = alg
      header.hash = stateHasher(header, options).hash(header.state)
    }
  }

  let replays = 0
  let phase: ShrinkProgress['phase'] = 'check'
  let best: Uint8Array = new Uint8Array(from).fill(1)
  let bestCount = from
  let chunk = from
  const progress = () => onProgress?.({ phase, replays, maxReplays, from, actions: bestCount, chunk })

  /** What the reducer threw at a candidate's action entry when recorded (`build` leaves it out). */
  const recordedThrows = new WeakMap<Entry, unknown>()
  /** The candidate log keeping the actions marked in `keep`. Without hashes, unless rehashed. */
  const build = (keep: Uint8Array): Recording => {
    const entries: Entry[] = []
    let seq = header.from_seq
    for (const item of items) {
      if (item.action >= 0 && keep[item.action] === 0) continue
      const e = item.entry
      const copy = { ...e, seq, orig_seq: (e.orig_seq as number | undefined) ?? e.seq } as Entry
      if (item.action >= 0) {
        ;(copy as { hash?: unknown }).hash = null
        // A reducer that threw when recorded is the failure to keep, not a step replayed as recorded
        // (unless the baseline throws there too: see `baselineHashes`).
        if ((copy as { threw?: unknown }).threw !== undefined) recordedThrows.set(copy, (copy as { threw?: unknown }).threw)
        delete (copy as { threw?: unknown }).threw
      }
      entries.push(copy)
      seq++
    }
    return { header, entries, warnings: [] }
  }

  /**
   * Replays the candidate on the baseline for its hashes (`hashes`, one per action entry, and the
   * state it ends in); the baseline's result when it does not replay. With `repair` (the action
   * index of each of the candidate's action entries), the actions the baseline throws on are no
   * reason to give up: each is marked as having thrown when recorded, so replay goes on with the
   * state Redux keeps (as for a recorded crash), and `dropped` lists them, to be left out of the
   * candidate. So a candidate without a task's `added` loses the later actions about that task
   * too, instead of being of no use (many reducers throw on an entity that is not there).
   */
  const baselineHashes = (
    candidate: Recording,
    repair?: number[],
  ): { ok: true; hashes: string[]; last: unknown; dropped: number[]; threw: Set<number> } | { ok: false; result: ReplayResult } => {
    const hasher = stateHasher(header, options)
    const hashes: string[] = []
    // A step whose reducer threw when recorded and throws on the baseline too is replayed as
    // recorded (the baseline replays the log as `verify` does): the crash is not what the baseline
    // corrects, and the candidate keeps its `threw` (by the index of its hash), so the replay under
    // test goes on there too, as verify would.
    const threw = new Set<number>()
    const dropped: number[] = []
    let last: unknown = header.state
    let input = { ...candidate, entries: candidate.entries.map((e) => (recordedThrows.has(e) ? ({ ...e, threw: recordedThrows.get(e) } as Entry) : e)) }
    if (repair) {
      // (A marked step whose reducer does not throw replays as any other; the warnings that it no
      // longer throws are not read.)
      const mark = { name: 'Error', message: 'shrink: left out where the baseline throws' }
      input = { ...candidate, entries: candidate.entries.map((e) => (isActionEntry(e) ? ({ ...e, threw: mark } as Entry) : e)) }
    }
    let index = 0
    const result = replay(input, {
      ...replayOptions,
      ...base,
      onStep: (step) => {
        const at = index++
        if (repair && step.threw !== undefined) {
          dropped.push(repair[at])
          return
        }
        if (step.threw !== undefined) threw.add(hashes.length)
        hashes.push(hasher.hash(step.state))
        last = step.state
      },
    })
    return result.ok ? { ok: true, hashes, last, dropped, threw } : { ok: false, result }
  }

  /** Gives the candidate's action entries `hashes`, and with `withEnd` an `@@end` holding `last`. */
  const withHashes = (candidate: Recording, hashes: string[], last: unknown, withEnd: boolean, threw?: Set<number>): Recording => {
    let i = 0
    for (const entry of candidate.entries) {
      if (!isActionEntry(entry)) continue
      if (threw?.has(i)) (entry as { threw?: unknown }).threw = recordedThrows.get(entry)
      entry.hash = hashes[i++]
    }
    if (withEnd) {
      const lastEntry = candidate.entries[candidate.entries.length - 1]
      const redactor = logRedactor(header)
      const end: EndEntry = {
        kind: '@@end',
        seq: (lastEntry?.seq ?? header.from_seq - 1) + 1,
        ts: lastEntry?.ts ?? header.ts,
        t: lastEntry?.t ?? 0,
        count: i,
        dropped: 0,
        state: JSON.parse(stringifyState(options.serializeState ? options.serializeState(last) : last, redactor)),
        hash: stateHasher(header, options).hash(last),
      }
      candidate.end = end
    }
    return candidate
  }

  /** Recomputes the candidate's hashes with the baseline; the baseline's result when it does not replay. */
  const rehash = (candidate: Recording, withEnd: boolean): { ok: true; recording: Recording } | { ok: false; result: ReplayResult } => {
    const folded = baselineHashes(candidate)
    return folded.ok ? { ok: true, recording: withHashes(candidate, folded.hashes, folded.last, withEnd, folded.threw) } : folded
  }

  let predicate = (customFails ?? (() => false)) as (result: ReplayResult, candidate: Recording) => boolean
  /**
   * Whether the candidate keeping `keep` fails (one replay). With `repair` (a baseline, and the
   * failure to keep known), the candidate is the one left once the baseline's throws are left out
   * (see `baselineHashes`): `tried` says which. Such a candidate that fails is replayed once more
   * as it is, its hashes recomputed afresh (another replay), and kept only if it fails again: what
   * the baseline makes of a step that throws is not assumed to be what it makes without it.
   */
  let tried: Uint8Array = best
  const run = (keep: Uint8Array, repair = base !== undefined && target !== null): boolean => {
    if (replays >= maxReplays - 1) throw new BudgetExhausted()
    replays++
    tried = keep
    let candidate: Recording | undefined = build(keep)
    if (base) {
      // A candidate the baseline cannot replay is no use as a test: it does not count as failing.
      let kept: number[] | undefined
      if (repair) {
        kept = []
        for (let a = 0; a < from; a++) if (keep[a] === 1) kept.push(a)
      }
      const folded = baselineHashes(candidate, kept)
      if (folded.ok && folded.dropped.length > 0) {
        const rest = keep.slice()
        for (const a of folded.dropped) rest[a] = 0
        candidate = withHashes(build(rest), folded.hashes, folded.last, false, folded.threw)
        const failed = predicate(replay(candidate, testOptions), candidate)
        progress()
        return failed && run(rest, false)
      }
      candidate = folded.ok ? withHashes(candidate, folded.hashes, folded.last, false, folded.threw) : undefined
    }
    const failed = candidate !== undefined && predicate(replay(candidate, testOptions), candidate)
    progress()
    return failed
  }
  const accept = (keep: Uint8Array) => {
    best = keep
    bestCount = keep.reduce((n, k) => n + k, 0)
  }

  // --- Reproduce the failure, and cut the log after the failing step when that keeps it.
  let target: ShrinkFailure | null = null
  let failingOrigSeq: number | undefined
  /** The log cut after the failing step was replayed in the check (with a baseline, when the replay diverges at a step). */
  let cutReplayed = false
  if (!customFails) {
    let first: ReplayResult
    replays++
    if (base) {
      const full = rehash(build(best), false)
      if (!full.ok) {
        throw new FlightRecorderError(
          'baseline-fails',
          `The baseline does not replay the log, so it cannot give the kept steps their hashes:\n${formatDivergence(full.result)}`,
        )
      }
      // The replay under test stops at its first hash mismatch (what follows cannot change the
      // failure); the log cut after that step is then replayed whole, for the failure and its
      // report: the same steps, so the same divergence. It is where the shrinking starts. (A
      // budget of 2 leaves no replay for that: the whole log is replayed instead.)
      let mismatchAt: number | undefined
      const onStep = (step: { seq: number; matched: boolean | null }) => {
        if (step.matched !== false) return
        mismatchAt = step.seq
        throw STOP
      }
      try {
        first = replay(full.recording, maxReplays > 2 ? { ...testOptions, onStep } : testOptions)
      } catch (error) {
        if (error !== STOP) throw error
        progress()
        replays++
        const cut = mismatchAt!
        first = replay({ header, entries: full.recording.entries.filter((e) => e.seq <= cut), warnings: [] }, testOptions)
        cutReplayed = true
      }
      const d = first.divergence
      if (d) failingOrigSeq = rehashedOrigSeq(full.recording, d.seq)
    } else {
      // (Where the reducer threw when recorded, it fails here: the throw is the failure to keep.)
      first = replay({ ...rec, entries: rec.entries.map((e) => (isActionEntry(e) && e.threw !== undefined ? (({ threw: _t, ...rest }) => rest)(e) : e)) }, testOptions)
    }
    progress()
    if (first.ok) {
      throw new FlightRecorderError(
        'nothing-to-shrink',
        base
          ? 'The log replays on the reducer under test exactly as on the baseline: there is no failure to shrink.'
          : 'The log replays without a failure on this reducer: there is nothing to shrink.',
      )
    }
    target = failureOf(first)
    if (!target) throw new FlightRecorderError('nothing-to-shrink', `The replay stopped without a divergence: ${formatDivergence(first)}`)
    if (!base && (target.reason === 'hash-mismatch' || target.reason === 'state-mismatch' || target.reason === 'hash-threw')) {
      throw new FlightRecorderError(
        'baseline-needed',
        `The log diverges (${target.reason}) at seq ${first.divergence!.seq} (${target.kind}). Shrinking a divergence needs the recorded states for every candidate: pass \`baseline\`, a reducer that replays the log correctly (the version that recorded it, or the fixed one), so the kept steps' hashes can be recomputed; or pass \`fails\`.`,
      )
    }
    predicate = sameFailure(target)
    if (!base) failingOrigSeq = first.divergence!.seq
  }

  let exhausted = false
  let minimal = false
  try {
    if (failingOrigSeq !== undefined) {
      const prefix = new Uint8Array(from)
      for (const item of actions) if (item.entry.seq <= failingOrigSeq) prefix[item.action] = 1
      phase = 'check'
      if (prefix.reduce((n, k) => n + k, 0) < from && (cutReplayed || run(prefix))) accept(cutReplayed ? prefix : tried)
    }
    if (customFails && bestCount === from && !run(best)) {
      throw new FlightRecorderError('nothing-to-shrink', 'The `fails` predicate does not hold for the whole log (replayed without its recorded hashes): there is nothing to shrink.')
    }

    // --- Whole turns, when some turn holds several actions.
    const turnUnits = (): number[][] => {
      const byTurn = new Map<string, number[]>()
      const units: number[][] = []
      for (const item of actions) {
        if (best[item.action] === 0) continue
        const turn = item.entry.turn
        if (turn === null || turn === undefined) {
          units.push([item.action])
          continue
        }
        let unit = byTurn.get(turn)
        if (!unit) {
          byTurn.set(turn, (unit = []))
          units.push(unit)
        }
        unit.push(item.action)
      }
      return units
    }
    const minimize = (units: number[][], name: 'turns' | 'actions'): boolean => {
      phase = name
      let cur = units
      chunk = Math.max(1, Math.ceil(cur.length / 2))
      const maskOf = (list: number[][]) => {
        const keep = new Uint8Array(from)
        for (const unit of list) for (const a of unit) keep[a] = 1
        return keep
      }
      for (;;) {
        let removed = false
        // From the end: removing later units first leaves the indices of earlier ones in place.
        for (let end = cur.length; end > 0; ) {
          const start = Math.max(0, end - chunk)
          const candidate = cur.slice(0, start).concat(cur.slice(end))
          const keep = maskOf(candidate)
          if (run(keep)) {
            // (Less than `keep` where the baseline threw without the chunk, on actions after it:
            // the units still to try, before `start`, keep their places, unless one emptied.)
            accept(tried)
            cur = tried === keep ? candidate : candidate.map((unit) => unit.filter((a) => best[a] === 1)).filter((unit) => unit.length > 0)
            removed = true
          }
          end = start
        }
        if (chunk === 1) {
          if (!removed) return true
        } else {
          chunk = Math.max(1, Math.min(Math.floor(chunk / 2), Math.ceil(cur.length / 2)))
        }
        if (cur.length === 0) return true
      }
    }
    const turns = turnUnits()
    if (turns.length > 1 && turns.length < bestCount) minimize(turns, 'turns')
    const singles: number[][] = []
    for (let a = 0; a < from; a++) if (best[a] === 1) singles.push([a])
    minimal = minimize(singles, 'actions')
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error
    exhausted = true
  }

  // --- The shrunk log, and one last replay to report how it fails.
  phase = 'done'
  let out = build(best)
  if (base) {
    const rehashed = rehash(out, true)
    if (!rehashed.ok) throw new FlightRecorderError('baseline-fails', `The baseline does not replay the shrunk log:\n${formatDivergence(rehashed.result)}`)
    out = rehashed.recording
  }
  replays++
  const result = replay(out, testOptions)
  progress()
  out.header = {
    ...header,
    shrunk: { from_session: rec.header.session, from_actions: from, actions: bestCount, replays, rehashed: base !== undefined },
  }
  return Object.assign(out, {
    shrink: { from, to: bestCount, replays, maxReplays, exhausted, minimal: minimal && !exhausted, rehashed: base !== undefined, failure: target, result },
  })
}

/** The `orig_seq` of the entry at `seq` in a candidate. */
function rehashedOrigSeq(candidate: Recording, seq: number): number | undefined {
  const entry = candidate.entries.find((e) => e.seq === seq)
  return entry ? ((entry.orig_seq as number | undefined) ?? entry.seq) : undefined
}
