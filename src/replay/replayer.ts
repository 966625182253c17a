import type { Action, Reducer } from 'redux'
import type { ActionEntry, EndEntry, Entry, HashFunction, LossyValue, RecordingHeader } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { Fr64Hasher } from '../hash'
import { crashText, errorParts, errorText } from '../internal/errorText'
import { INCOMPLETE, isActionEntry, isRebaseCheckpoint, missingEntries } from '../format/types'
import { hashHex } from '../hash/hashHex'
import { HEX_CODES } from '../internal/hex'
import { describeLossy, isIgnored, lossyAtPath } from '../lossy'
import { describe } from '../internal/describe'
import { checkReplayTarget } from './target'
import { applyRedaction, logRedactor, REDACTED, wholeStatePath, type Redactor } from '../redact'
import { joinKey, parsePath } from '../hash/subtrees'
import { stringifyState } from '../serialize'
import { BUILT_IN_ADAPTERS, missingAdapterHint, persistWrapperHint, RegisteredView, reviveState, type DivergedStep } from './adapters'
import { carriesFunction, rerunShifted } from '../internal/rerunShifted'
import { diffStates, MAX_DIFFERENCES, shortenDifference, type StateDifference } from './diff'
import { localize, MAX_EFFECT_PATHS, stepEffect } from './localize'
import { copyPlain } from '../internal/copyPlain'
import { describeOmitted, foreignHint, foreignState, hashFnHint, hintFor, INSTRUMENT_INIT_HINT, LIFTED_HINT, earlierMutationNote, LOSSY_STEP_HINT, MAX_REDACTED_NAMED, NO_LONGER_THROWS, redactedDecides, redactedReplayed, redactedThrowNote, THREW_AS_RECORDED, mergeGapWarnings, mutationNote, restoreForm, RESUMES, startStateHint, stepMutationNote, storeInitHint, TOO_LARGE_WHEN_RECORDED } from './hints'
import { looksLifted } from '../internal/lifted'
import { isReduxInit, isReduxReplace, reduxInitType } from '../internal/reduxActions'
import type { Divergence, DivergenceReason, LossyAt, ReplayOptions, ReplayResult, ReplayStore } from './types'
import { sameJson } from '../internal/sameJson'

/** The start of the hint for a step whose reducer reads state the log redacts. */
const READS_REDACTED = 'The reducer reads state the log redacts'

const SKIP = Symbol('skip')
/** An action the log holds the type of only (over `maxEntryBytes`): replay goes on from the next full state. */
const TOO_LARGE = Symbol('too-large')

class AdapterError extends Error {
  constructor(readonly reason: DivergenceReason, readonly original: unknown) {
    super('adapter')
  }
}

/** JSON text a search for an in-place mutation hashes afresh, at most (a second pass, after a divergence). */
const MAX_SEARCH_BYTES = 256 * 1024 * 1024
/** Lossy values noted in replayed states at most. */
const MAX_REPLAYED_LOSSY = 100

/**
 * The replay state machine, fed one entry at a time by `replay` and `replayStream`: `begin(header)`,
 * `entry(e)` until it returns false, `end(endLine)`, `result()`. It holds the current state and
 * the divergence, never the entries, so memory stays bounded whatever the length of the log.
 */
export class Replayer {
  private readonly opts: ReplayOptions
  private header!: RecordingHeader
  private reducer: Reducer | undefined
  private store: ReplayStore | undefined
  /** With `createStore`: RTK Query's registration as the recording had it (see RegisteredView). */
  private readonly registered = new RegisteredView()
  private state: unknown
  private hasher: Fr64Hasher | undefined
  private hashFn: HashFunction | undefined
  private redactor: Redactor | null = null
  private canVerify = false
  private prevHashed: unknown = undefined
  /** The recorded hash of the state before the step being replayed, when it was checked and matched. */
  private lastMatched: string | null = null
  /** The last seq where the replayed state was hashed afresh (no cached records) and matched. */
  private freshAt = -1
  /** The entries are the caller's (a Recording object): states replay starts from are copied. */
  copyStates = false
  /**
   * Set to look for the step that mutated the state in place: every step is also hashed afresh,
   * and replay stops at the first whose cached hash is stale (`mutationAt`). A second pass over a
   * Recording held in memory, after a divergence that found a mutation somewhere in a range.
   */
  findMutation = false
  mutationAt: number | undefined
  /** With `findMutation`: the state after the last step, hashed afresh. */
  private lastFresh: string | null | undefined
  /** With `findMutation`: the JSON text hashed afresh so far, bounded (MAX_SEARCH_BYTES). */
  private searchBytes = 0
  private expectedSeq = 0
  private lost = false
  private gaps = 0
  /** Entries missing between those of the log so far (seq gaps), and those its `@@dropped` entries reported lost so far. */
  private missingSeen = 0
  private droppedReported = 0
  /** Of those, entries taken to be lost before the log's first entry (at most `from_seq - 1`). */
  private beforeLog = 0
  private steps = 0
  private skipped = 0
  private checked = 0
  private unverified = 0
  /** The first step since the last one whose hash matched that had no hash to compare (see `describeDivergence`). */
  private uncheckedFrom: number | undefined
  /** The log's state redaction covers every value: hashes match whatever the reducer does. */
  private wholeStateRedacted = false
  /** The seq of the last new store (`@@lifecycle` `new-store`) whose reducer replay did not get. */
  private newStoreAt: number | undefined
  /** Actions (steps, skipped, unverified) and gaps seen before the last new store (see `newStore`). */
  private actsSeen = 0
  private divergence: Divergence | undefined
  /** The diverging step, run again once the replay is over (a module-level counter would otherwise move on). */
  private rerun: { reducer: Reducer; before: unknown; after: unknown; action: Action } | undefined
  private awaitingDiff = false
  /** Actions replayed after the divergence, before the state it is diffed at. */
  private sinceDivergence = 0
  /** The divergence's state hashed as recorded again right at the next action (`unchanged`: which, replayed, left the state as it was). */
  private convergedNext: { unchanged: boolean } | undefined
  /** The divergence's hint is the replay store's middleware acting within the step (its own dispatches, which the log holds as entries of their own). */
  private storeActed = false
  private stopped: { seq: number; reason: string } | undefined
  private done = false
  readonly warnings: string[] = []
  private readonly lossy: LossyAt[] = []
  /** Where in `lossy` the last full state's list starts: the state's lossy values are those since (with actions' `stateLossy`). */
  private stateLossyFrom = 0
  private readonly lossySeen = new Set<string>()
  /** Lossy values found in replayed states (see `noteReplayedLossy`), once per kind and path. */
  private readonly replayedLossy: LossyAt[] = []
  private readonly replayedSeen = new Set<string>()
  /** The header's `lossy_ignored`: state paths the recorder left out of its lossy notes. */
  private ignoredLossy: (string | RegExp)[] | undefined
  /** The hint that the action's redacted values may explain the divergence (see `localizeStep`). */
  private redactionHint: string | undefined

  constructor(opts: ReplayOptions) {
    if (typeof opts !== 'object' || opts === null) {
      throw new TypeError(`[redux-flight-recorder] Expected replay options { reducer } or { createStore }. Instead, received: ${describe(opts)}.`)
    }
    checkReplayTarget(opts, 'Expected `reducer` or `createStore` in the replay options, to rebuild the state the log was recorded from.')
    if (opts.until !== undefined && typeof opts.until !== 'number') {
      throw new TypeError(`[redux-flight-recorder] Expected \`until\` to be a seq number. Instead, received: ${describe(opts.until)}.`)
    }
    const onNR = opts.onNonRecordable
    if (onNR !== undefined && typeof onNR !== 'function' && !['dispatch', 'skip', 'fail'].includes(onNR)) {
      throw new TypeError(`[redux-flight-recorder] Expected \`onNonRecordable\` to be 'dispatch', 'skip', 'fail' or a function. Instead, received: ${describe(onNR)}.`)
    }
    if (opts.adapters !== undefined && (!Array.isArray(opts.adapters) || opts.adapters.some((a) => !a || typeof a.revive !== 'function'))) {
      throw new TypeError(`[redux-flight-recorder] Expected \`adapters\` to be an array of replay adapters such as reduxPersist(). Instead, received: ${describe(opts.adapters)}.`)
    }
    this.opts = opts
  }

  get finished(): boolean {
    return this.done
  }

  begin(header: RecordingHeader): void {
    this.header = header
    this.expectedSeq = header.from_seq
    this.noteLossy(header.lossy, header.from_seq - 1, 'state')
    if (typeof header.unwritable === 'string') {
      this.stopped = { seq: header.from_seq - 1, reason: `The header's state could not be written when recording (${header.unwritable}), so replay cannot start from it.` }
      this.done = true
      return
    }
    this.redactor = logRedactor(header)
    this.ignoredLossy = readIgnored(header.lossy_ignored)
    const whole = wholeStatePath(this.redactor)
    if (whole !== null && header.hash_alg !== 'none') {
      this.wholeStateRedacted = true
      this.warnings.push(`The log's \`redact.state\` ('${whole}') redacts every value of the state, so its hashes say nothing about what the reducer did: no step is verified. Redact the paths that hold secrets instead.`)
    }
    if (header.hash_alg === 'fr64') {
      this.hasher = new Fr64Hasher(this.redactor, { collectLossy: true })
      this.canVerify = true
    } else if (header.hash_alg !== 'none') {
      const fn = this.opts.hash
      const name = fn ? fn.algorithm ?? (fn.name || 'custom') : undefined
      if (fn && name === header.hash_alg) {
        this.hashFn = fn
        this.canVerify = true
      } else this.warnings.push(hashFnHint(header.hash_alg, name))
    }
    this.rebase(header.state, true)
    // The starting state must hash as recorded; if not, the hash function or `serializeState`
    // differs from the recorder's, and every step would be reported as a divergence.
    if (this.canVerify && typeof header.hash === 'string' && !this.opts.serializeState) {
      let actual: string | null = null
      try {
        actual = this.hashNow()
      } catch {
        actual = null
      }
      if (actual !== null && actual !== header.hash && this.storeWithoutState(header.hash)) actual = header.hash
      if (actual === header.hash) this.lastMatched = actual
      if (actual !== null && actual !== header.hash) {
        this.divergence = {
          reason: 'state-mismatch',
          seq: header.from_seq - 1,
          turn: null,
          kind: '@@session',
          action: null,
          expectedHash: header.hash,
          actualHash: actual,
          diff: null,
          diffAtSeq: null,
          diffNote:
            "The log's starting state does not hash to the header's `hash`: the hash function (or `serializeState`) differs from the one the recorder used, or the header was edited.",
        }
        // Replay that starts in another state than the log's (a slice added to the reducer fills in
        // its own initial state on Redux's INIT action, one removed is dropped): the difference is
        // in the states, shown as such.
        const d = this.divergence
        const seq = header.from_seq - 1
        const starts = this.store
          ? 'The replay store starts in another state than the log\'s (the header\'s `state`): it does not keep the state it is built from as it is (a slice added to the reducer, removed or renamed, or a store that changes its preloaded state)'
          : "Replay starts in another state than the log's (the header's `state`): run on it with Redux's INIT action, as a store built from it would be, the reducer fills in or drops slices (a slice added to the reducer, removed or renamed)"
        this.setDiff(d, seq, header.state, '@@session', (diff) =>
          diff.length > 0
            ? `${starts}, so every step would differ. The differences, recorded → replayed, are above.`
            : "The log's starting state does not hash to the header's `hash`: the hash function (or `serializeState`) differs from the one the recorder used, or the header was edited.",
        )
        if (d.diff !== null && d.diff.length === 0) {
          d.diff = null
          d.diffAtSeq = null
          delete d.diffAt
        }
        this.startHint(d)
        // A reducer that keeps none of the log's top-level keys: another app's (or the log is).
        const foreign = d.hint === undefined ? foreignState(header.state, this.state) : undefined
        if (foreign !== undefined) d.hint = foreignHint(foreign)
        // DevTools' instrument outside the recorder, without the opt-in: its lifted state changes
        // in place (`actionsById`), so the header's state was no longer the one hashed.
        if (looksLifted(header.state)) {
          d.hint = LIFTED_HINT
          d.diffNote = "The log's starting state is Redux DevTools' lifted state, which DevTools' instrument changes in place: it changed after the recorder hashed it."
        }
        this.done = true
      }
    }
  }

  private rebase(logged: unknown, init = false): void {
    // A state of the caller's Recording is copied first: a reducer that mutates its state would
    // change the Recording (and what rehash or shrink write from it, and the next replay of it).
    const state = reviveState(this.copyStates ? copyPlain(logged) : logged, this.opts.adapters)
    this.prevHashed = undefined
    this.lastMatched = null
    this.freshAt = this.expectedSeq - 1
    if (this.opts.createStore) {
      this.store = this.opts.createStore(state)
      this.registered.attach(this.store)
      this.state = this.storeState()
    } else {
      this.reducer ??= this.opts.reducer
      this.state = state
      // The header's state is where the recorded store started: replay starts as a store built
      // from it does, the reducer run once with Redux's INIT action, which fills in a slice the
      // state lacks and drops one the reducer no longer has (the header's hash check then reports
      // that at @@session, as with `createStore`). A state replay starts over from later in the log
      // is the live store's, which ran no INIT there (redux-undo, for one, changes its history on
      // an action it does not know): it stays as logged.
      if (init) {
        try {
          this.state = withSlicesOf(state, this.reducer!(state, { type: reduxInitType() }), 0)
        } catch {
          // A reducer that throws on it throws on the first action too, which reports it.
        }
      }
    }
    if (this.findMutation) this.lastFresh = this.freshHash()
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

  /**
   * The fr64 hash of the replayed state from its JSON projection (new objects, so no record cached
   * by reference is used): differs from the cached hash when the reducer mutated the state in place.
   * `null` without fr64 or with `serializeState` (the cached hash is not of the state itself then).
   */
  private freshHash(state = this.state): string | null {
    if (this.hasher === undefined || this.opts.serializeState !== undefined) return null
    const hasher = new Fr64Hasher(this.redactor)
    const json = stringifyState(state, this.redactor)
    if (this.findMutation && (this.searchBytes += json.length) > MAX_SEARCH_BYTES) throw new Error('search budget spent')
    hasher.hash(JSON.parse(json))
    return hashHex(hasher.hi, hasher.lo)
  }

  /** The replayed state as the log would hold it: `serializeState`, redaction, JSON. */
  private projected(state = this.state): unknown {
    const input = this.opts.serializeState ? this.opts.serializeState(state) : state
    return JSON.parse(stringifyState(input, this.redactor))
  }

  /**
   * Puts into `d` the differences between `recorded` (the full state at `seq`) and the replayed
   * state, with `note(diff)`; or says why they could not be compared (a state too deep to walk).
   */
  private setDiff(d: Divergence, seq: number, recorded: unknown, label: string, note: (diff: StateDifference[]) => string, expected?: unknown): void {
    let diff: StateDifference[]
    try {
      diff = diffStates(recorded, this.projected(), MAX_DIFFERENCES + 1)
    } catch (error) {
      d.diff = null
      d.diffAtSeq = null
      d.diffNote = `The states at seq ${seq} (${label}) could not be compared: ${errorText(error)}.`
      return
    }
    if (diff.length > MAX_DIFFERENCES) {
      diff.length = MAX_DIFFERENCES
      d.diffTruncated = true
    }
    d.diff = diff
    d.diffAtSeq = seq
    d.diffAt = label
    d.diffNote = note(diff)
    // Compared with a state that is not what its own hash says: the log, not the replay, may differ there.
    if (this.notItsOwn(recorded, expected)) d.diffNote = `${editedAt(label, seq)}, and differences with it may come from that. ${d.diffNote}`
  }

  /** Ends a replay that was looking for the next full state to diff at. */
  private giveUpDiff(note: string): void {
    if (this.divergence && this.awaitingDiff) this.divergence.diffNote = note
    this.awaitingDiff = false
  }

  /** Notes the lossy values of a line, and describes each path and kind once in `warnings`. */
  private noteLossy(list: unknown, seq: number, where: 'action' | 'state'): void {
    if (!Array.isArray(list)) return
    for (const l of list as LossyValue[]) {
      if (typeof l !== 'object' || l === null || typeof l.path !== 'string' || typeof l.kind !== 'string') continue
      this.lossy.push({ ...l, seq, where })
      const key = lossyKey(where, l)
      if (this.lossySeen.has(key)) continue
      this.lossySeen.add(key)
      this.warnings.push(`${describeLossy(l, where)} (seq ${seq}${this.lossySeen.size === 1 ? '; replay and its hashes see it in that form' : ''}).`)
    }
  }

  /**
   * Notes the values JSON writes in another form that fr64 found entering the replayed state at
   * `seq` (what it hashed afresh): those the log does not list too are reported by `result`.
   */
  private noteReplayedLossy(seq: number): void {
    for (const path of this.hasher!.lossyPaths) {
      if (this.replayedLossy.length >= MAX_REPLAYED_LOSSY) return
      for (const l of lossyAtPath(this.state, path)) {
        const key = lossyKey('state', l)
        // (What the log lists already, or its recorder was told to ignore, is no news: not counted.)
        if (this.replayedSeen.has(key) || this.lossySeen.has(key) || isIgnored(l.path, this.ignoredLossy)) continue
        this.replayedSeen.add(key)
        this.replayedLossy.push({ ...l, seq, where: 'state', replayed: true })
      }
    }
  }

  /** A full state the recorder could not write: never restarted from, never compared. */
  private unwritableAt(seq: number, reason: string, label: string, restart: boolean): boolean {
    if (restart || this.awaitingDiff) {
      if (this.awaitingDiff) this.giveUpDiff(`The state at seq ${seq} (${label}) could not be written when recording (${reason}), so no state was compared.`)
      else this.stopped = { seq, reason: `The state at seq ${seq} (${label}) could not be written when recording (${reason}), and replay would have to restart from it.` }
      this.done = true
      return false
    }
    this.warnings.push(`The state at seq ${seq} (${label}) could not be written when recording (${reason}); it was not compared.`)
    this.unverified++
    return true
  }

  /** Feeds one entry; returns false once replay has nothing more to do. */
  entry(entry: Entry): boolean {
    if (this.done) return false
    if (this.opts.until !== undefined && entry.seq > this.opts.until) {
      this.giveUpDiff(`Replay stopped at \`until\` (seq ${this.opts.until}) before the next full state in the log, so no state was compared.`)
      this.done = true
      return false
    }
    if (entry.seq > this.expectedSeq) {
      this.missingSeen += entry.seq - this.expectedSeq
      this.warnings.push(`${missingEntries(this.expectedSeq, entry.seq - 1)}${RESUMES}`)
      if (this.awaitingDiff) {
        this.giveUpDiff(`${missingEntries(this.expectedSeq, entry.seq - 1)} after the divergence, so no state was compared.`)
        this.done = true
        return false
      }
      this.lost = true
      this.gaps++
    }
    this.expectedSeq = entry.seq + 1
    if (isActionEntry(entry)) {
      if (entry.lossy !== undefined) this.noteLossy(entry.lossy, entry.seq, 'action')
      if (entry.stateLossy !== undefined) this.noteLossy(entry.stateLossy, entry.seq, 'state')
      return this.action(entry)
    }
    if (entry.kind === '@@checkpoint' || Object.prototype.hasOwnProperty.call(entry, 'state')) this.stateLossyFrom = this.lossy.length
    if ((entry as { lossy?: unknown }).lossy !== undefined) this.noteLossy((entry as { lossy?: unknown }).lossy, entry.seq, 'state')
    switch (entry.kind) {
      case '@@checkpoint': {
        const cp = entry as { state: unknown; hash?: string | null; reason?: unknown; unwritable?: unknown }
        if (typeof cp.unwritable === 'string') {
          const restart = this.lost || isRebaseCheckpoint(cp.reason) || (this.steps + this.skipped + this.unverified === 0 && !this.divergence)
          return this.unwritableAt(entry.seq, cp.unwritable, '@@checkpoint', restart)
        }
        // After pause()/resume() or a DevTools jump the state changed in ways the log does not
        // hold: start over from it.
        if (isRebaseCheckpoint(cp.reason)) return this.rebaseAt(entry.seq, cp.state, `@@checkpoint (${String(cp.reason)})`, cp.hash)
        // Before the first action, the last full state is where replay starts.
        if (this.steps + this.skipped + this.unverified === 0 && !this.divergence) return this.rebaseAt(entry.seq, cp.state, '@@checkpoint', cp.hash)
        return this.fullState(entry.seq, cp.state, cp.hash ?? null, '@@checkpoint')
      }
      case '@@replaceReducer':
        return this.replaceReducer(entry)
      case '@@lifecycle': {
        // A lifecycle entry that carries a state (a DevTools jump, toggle or import) says the
        // live state changed without an action: replay goes on from that state.
        if (Object.prototype.hasOwnProperty.call(entry, 'state')) {
          const unwritable = (entry as { unwritable?: unknown }).unwritable
          if (typeof unwritable === 'string') return this.unwritableAt(entry.seq, unwritable, '@@lifecycle', true)
          // Another store's state (hot reload, a store per test): no place to compare a divergence of this one.
          if (this.awaitingDiff && (entry as { body?: { event?: unknown } }).body?.event === 'new-store') {
            this.giveUpDiff(
              `The log goes on with another store at seq ${entry.seq} (a \`new-store\` lifecycle entry) before it holds a full state of this one, so no state was compared. Record with \`checkpointEvery\` to get a full state before a store is replaced.`,
            )
            this.done = true
            return false
          }
          const going = this.rebaseAt(entry.seq, (entry as unknown as { state: unknown }).state, '@@lifecycle', (entry as { hash?: unknown }).hash)
          if (going && (entry as { body?: { event?: unknown } }).body?.event === 'new-store') this.newStore(entry)
          return going
        }
        return true
      }
      case '@@dropped':
        this.dropped(entry)
        return true
      default:
        return true
    }
  }

  /**
   * A `@@dropped` entry: entries it reports lost that no seq gap in the log shows (lost before its
   * first entry: the header's `from_seq` is past them) are missing all the same, and the log is
   * incomplete (not `verified`; `verify --strict` fails), as with a gap.
   */
  private dropped(entry: Entry): void {
    const count = (entry as { count?: unknown }).count
    if (typeof count !== 'number' || !(count > 0) || !Number.isFinite(count)) return
    // Another sink's loss (the entry names its sink, and this log is not that sink's): this log
    // holds those entries. (A log without sinks' names, an older one, counts every report.)
    const sink = (entry as { sink?: unknown }).sink
    if (typeof sink === 'number' && this.header?.sink !== sink) return
    this.droppedReported += count
    // Only a log that starts past the session's first entry can miss entries before it: in one
    // that starts at seq 1 with no gap, the losses are another sink's (every sink's log gets each
    // sink's @@dropped; an older recorder's do not say whose), and this log is whole.
    const from = this.header?.from_seq ?? 1
    const unseen = Math.min(this.droppedReported - this.missingSeen, from - 1 - this.beforeLog)
    if (unseen <= 0) return
    this.beforeLog += unseen
    // Counted as seen: a later @@dropped reports only what it adds.
    this.missingSeen += unseen
    const what = unseen === 1 ? '1 entry' : `${unseen} entries`
    this.warnings.push(
      `The @@dropped entry at seq ${entry.seq} reports ${what} lost that ${unseen === 1 ? 'is' : 'are'} missing from the log${from > 1 ? ` (it starts at seq ${from})` : ''}: ${unseen === 1 ? 'it was' : 'they were'} not replayed.`,
    )
  }

  /** A new store (hot reload, a store per test): its reducer from `onReplaceReducer`, if given. */
  private newStore(entry: Entry): void {
    const next = this.opts.onReplaceReducer?.(entry)
    // Only after an action (or entries missing: maybe actions) since the last new store or the
    // log's start may the move explain a divergence: an action replayed under a reducer that store
    // may not have. New stores before any action (React's StrictMode builds one twice, and the
    // recorder goes back to the first) change nothing replay runs: no hint, nor a later seq named.
    const acts = this.steps + this.skipped + this.unverified + this.gaps
    if (typeof next !== 'function') {
      if (acts > this.actsSeen) this.newStoreAt = entry.seq
      this.actsSeen = acts
      return
    }
    this.actsSeen = acts
    this.newStoreAt = undefined
    if (this.store) {
      // The store built from the entry's state gets the new reducer, which Redux's REPLACE action
      // does not reach: the entry's state is that store's, its reducer's own INIT in it, and the
      // recorded store's reducer never got a REPLACE (one that notes every action would differ).
      // Only that action: a replay store whose replaceReducer dispatches nothing gets the next action run.
      let replaced = false
      this.store.replaceReducer?.((s: unknown, a: Action) => {
        const first = !replaced
        replaced = true
        return first && (isReduxReplace(a?.type) || isReduxInit(a?.type)) ? s : next(s, a)
      })
      this.state = this.storeState()
    } else this.reducer = next
  }

  private rebaseAt(seq: number, state: unknown, label: string, expected: unknown): boolean {
    if (this.awaitingDiff) {
      // Still the best place to look, with a warning: the differences may include changes the log does not hold.
      this.setDiff(this.divergence!, seq, state, label, () => `State compared at seq ${seq} (${label}), where the live state changed without a recorded action; some differences may come from that change.`, expected)
      this.awaitingDiff = false
      this.done = true
      return false
    }
    this.lost = false
    return this.restart(seq, state, expected, label)
  }

  /**
   * Goes on from a full state of the log whose recorded hash is `expected`, once it hashes so as
   * replay holds it (as the header's state is checked): a state edited or damaged in the log (it
   * does not hash to its own `hash`), or one the replay store or an adapter changes, would have
   * every later step blamed for it.
   */
  private restart(seq: number, recorded: unknown, expected: unknown, label: string): boolean {
    this.rebase(recorded)
    if (!this.canVerify || typeof expected !== 'string' || this.opts.serializeState) return true
    let actual: string | null
    try {
      actual = this.hashNow()
    } catch {
      return true // the next step's check reports it
    }
    if (actual === null || actual === expected || this.storeWithoutState(expected)) {
      this.lastMatched = actual === null ? null : expected
      return true
    }
    const d: Divergence = { reason: 'state-mismatch', seq, turn: null, kind: label, action: null, expectedHash: expected, actualHash: actual, diff: null, diffAtSeq: null }
    if (this.notItsOwn(recorded, expected)) d.diffNote = `${editedAt(label, seq)}, so replay cannot go on from it.`
    else {
      this.setDiff(d, seq, recorded, label, (diff) =>
        diff.length > 0
          ? `Replay restarts from the ${label} at seq ${seq} in another state than the log's: the replay store or an adapter changes it, so every later step would differ. The differences, recorded → replayed, are above.`
          : `The ${label}'s state at seq ${seq} does not hash to its \`hash\` as replay holds it: the hash function (or \`serializeState\`) differs from the one the recorder used.`,
      )
      this.startHint(d)
      if (d.hint === undefined && d.diff?.length && this.initReached(recorded, d.diff)) d.hint = storeInitHint(label, seq)
    }
    this.divergence = d
    this.done = true
    return false
  }

  /**
   * With `createStore`, at a state replay starts over from: whether the store's reducer changes the
   * state on an action it does not know (a store built from the state, given one more such action,
   * changes it again), so that Redux's INIT action, which the store built there got and the recorded
   * store's reducer did not, explains the difference: every path of `diff` is one the action
   * changes, or holds or is held by one (a difference at `a`, null recorded where INIT made
   * `{ n: 1 }`, and the action's change at `a.n`; or the other way round).
   */
  private initReached(recorded: unknown, diff: StateDifference[]): boolean {
    if (!this.store) return false
    const after = this.runAgain(reviveState(copyPlain(recorded), this.opts.adapters), { type: '@@redux-flight-recorder/PROBE' })
    try {
      if (after === THREW) return false
      const changed = diffStates(this.projected(), this.projected(after)).map((x) => x.path)
      const within = (inner: string, outer: string) => inner === outer || outer === '<root>' || (inner.startsWith(outer) && (inner[outer.length] === '.' || inner[outer.length] === '['))
      return diff.every((x) => changed.some((c) => within(c, x.path) || within(x.path, c)))
    } catch {
      return false
    }
  }

  /** A known library's reason why replay starts in another state than the log's, as the divergence's hint. */
  private startHint(d: Divergence): void {
    const hint = d.diff?.length ? startStateHint(d.diff, this.store !== undefined) : undefined
    if (hint !== undefined) d.hint = hint
  }

  /**
   * With `createStore`, for a state the store built from it does not keep (it hashes otherwise
   * than `expected`): builds a store without a preloaded state, as the recorded one most often was,
   * and goes on with it if its own starting state hashes as `expected`. redux-undo with
   * `ignoreInitialState` takes the INIT action a store built from a state dispatches for an action
   * of its own, and records the present as its latest unfiltered state (the log's says `null`); a
   * store built without one starts as the recorded store did. Otherwise the store built from the
   * state stays, and the report says what differs. `action`: dispatched to the new store first (see
   * `instrumentInit`).
   */
  private storeWithoutState(expected: string, action?: Action): boolean {
    const was = this.store
    if (was === undefined) return false
    try {
      this.store = this.opts.createStore!(undefined)
      this.registered.attach(this.store)
      if (action) this.store.dispatch(action)
      this.state = this.storeState()
      this.prevHashed = undefined
      if (this.hashNow() === expected) return true
    } catch {
      // (A store that cannot be built without a state, or a reducer that throws on it: not this case.)
    }
    this.store = was
    this.registered.attach(was)
    this.state = this.storeState()
    this.prevHashed = undefined
    return false
  }

  /**
   * Whether a full state of the log does not hash to its own recorded hash (fr64 only; false when
   * that cannot be told): the log was edited or damaged there.
   */
  private notItsOwn(recorded: unknown, expected: unknown): boolean {
    if (this.hasher === undefined || this.opts.serializeState !== undefined || typeof expected !== 'string') return false
    try {
      const hasher = new Fr64Hasher(this.redactor)
      hasher.hash(recorded)
      return hashHex(hasher.hi, hasher.lo) !== expected
    } catch {
      return false
    }
  }

  private action(entry: ActionEntry): boolean {
    if (this.lost) {
      this.unverified++
      return true
    }
    let action: unknown
    // What the reducer returned (adapters may adjust the state after it).
    let reduced: unknown = NOT_RUN
    try {
      action = this.resolveAction(entry)
    } catch (error) {
      const e = error as AdapterError
      return this.halt(entry, e.reason, e.original)
    }
    if (action === TOO_LARGE) {
      const bytes = entry.omitted!.find((o) => o.kind === 'too-large')!.detail
      this.warnings.push(
        `Seq ${entry.seq}'s action ('${entry.kind}'${typeof bytes === 'number' ? `, ${bytes} bytes` : typeof bytes === 'string' && /^>\d+$/.test(bytes) ? `, over ${bytes.slice(1)} bytes` : ''}) ${TOO_LARGE_WHEN_RECORDED}, so the log holds its type only${RESUMES}`,
      )
      this.lost = true
      this.unverified++
      return true
    }
    const before = this.state
    const skipped = action === SKIP
    let threw: { name: string; message: string } | undefined
    if (skipped) {
      this.skipped++
      action = entry.action
    } else {
      try {
        if (this.store) {
          this.registered.dispatch(this.store, entry, action)
          this.state = this.storeState()
        } else {
          this.state = reduced = this.reducer!(this.state, action as Action)
        }
      } catch (error) {
        const recorded = recordedThrow(entry)
        if (recorded === undefined) {
          const halted = this.halt(entry, 'reducer-threw', error)
          const hint =
            this.divergence?.seq === entry.seq && this.divergence.hint === undefined
              ? this.adaptersExplain(entry, before, action, THREW) ?? this.lossyHint(entry, before, action, THREW, typeof entry.hash === 'string' ? entry.hash : null)
              : undefined
          if (hint !== undefined) this.divergence!.hint = hint
          return halted
        }
        // It threw when recorded too: replayed as recorded, the state the one Redux keeps (the
        // step's hash, of that state, says whether it is).
        this.state = this.store ? this.storeState() : before
        // (As the recorder writes it: name and message, the message cut at 500 characters.)
        threw = errorParts(error, 500)
        // (Another error than the recorded one is named: a crash of another kind is said as such.)
        const now = crashText(threw.name, threw.message)
        this.warnings.push(`The reducer threw at seq ${entry.seq} ('${entry.kind}'), ${THREW_AS_RECORDED} (${recorded}${now === recorded ? '' : `; replayed, it threw ${now}`}); the state stayed as it was.`)
      }
      this.steps++
    }
    const expected = typeof entry.hash === 'string' ? entry.hash : null
    if (entry.kind === '@@INIT' && !skipped && threw === undefined && !this.awaitingDiff) this.instrumentInit(entry.seq, action as Action, expected)
    // After a divergence too (its hash then says nothing: `matches` gives null), so that the state
    // compared later holds what the app's middleware would have made of it.
    if (!skipped) {
      const matches = this.matcher(this.awaitingDiff ? null : expected)
      if (this.store) this.state = this.registered.step(entry, before, this.store.getState(), matches)
      else this.afterStep(entry, before, matches)
    }
    const onStep = this.opts.onStep
    if (this.awaitingDiff) {
      this.sinceDivergence++
      if (expected !== null && this.divergence!.convergedAt === undefined) this.watchConvergence(entry, expected, before)
      onStep?.(withThrew({ seq: entry.seq, turn: entry.turn, kind: entry.kind, action, skipped, expectedHash: expected, actualHash: null, matched: null, state: this.state }, threw))
      return true
    }
    let actual: string | null = null
    let matched: boolean | null = null
    try {
      if (expected !== null && this.hasher !== undefined && this.opts.serializeState === undefined) {
        // fr64: compare the two 32-bit lanes with the recorded hex digits; the hex string of the
        // replayed hash is only built when something reads it (onStep, a divergence).
        const hasher = this.hasher
        hasher.hash(this.state, this.prevHashed)
        this.prevHashed = this.state
        if (hasher.lossyPaths.length > 0) this.noteReplayedLossy(entry.seq)
        matched = hexEquals(expected, hasher.hi, hasher.lo)
        if (!matched || onStep !== undefined) actual = hashHex(hasher.hi, hasher.lo)
        if (this.findMutation) {
          // This step changed the state it started from (hashed afresh after the step before),
          // or its cached hash is stale: it mutated the state in place.
          const fresh = this.freshHash()
          if (fresh !== hashHex(hasher.hi, hasher.lo) || (this.lastFresh != null && this.freshHash(before) !== this.lastFresh)) {
            this.mutationAt = entry.seq
            this.done = true
            return false
          }
          this.lastFresh = fresh
        }
      } else {
        actual = expected !== null ? this.hashNow() : null
        if (actual !== null) matched = expected === actual
      }
    } catch (error) {
      return this.halt(entry, 'hash-threw', error)
    }
    if (matched !== null) this.checked++
    else this.unverified++
    if (matched === true) this.uncheckedFrom = undefined
    else if (matched === null && !skipped) this.uncheckedFrom ??= entry.seq
    // A crash fixed by a reducer that leaves the state as it was (or at a step without a hash, a
    // log recorded with `hash: false`): nothing differs, but the log still expects the crash, so
    // the crash coming back would replay "as recorded".
    if (matched !== false && threw === undefined && !skipped && recordedThrow(entry) !== undefined) {
      const redacted = this.redactedIn(entry)
      this.warnings.push(
        `The reducer threw at seq ${entry.seq} ('${entry.kind}') when recorded (${recordedThrow(entry)}); ${NO_LONGER_THROWS}${matched ? ' and reaches the recorded state' : ''}. ${redacted.length > 0 ? `${redactedThrowNote(redacted)} update` : 'Update'} the log (\`flight-recorder rehash\`${redacted.length > 0 ? '' : ", or the tests' -u"}) so that the crash coming back is caught.`,
      )
    }
    onStep?.(withThrew({ seq: entry.seq, turn: entry.turn, kind: entry.kind, action, skipped, expectedHash: expected, actualHash: actual, matched, state: this.state }, threw))
    if (matched === false) {
      const d = this.describeDivergence(entry, 'hash-mismatch', expected, actual, undefined, threw)
      // A redux-persist action: the replay's reducer wrapped in persistReducer where the app's was not, or the reverse.
      const persist = persistWrapperHint(entry.kind, this.state, this.matcher(expected))
      if (persist !== undefined) d.hint = persist
      let fresh: string | null = null
      /**
       * The state before this step hashed afresh, where it was checked as recorded (the step's
       * own state when the reducer returned the objects it was given).
       */
      let freshBefore: string | null = null
      try {
        fresh = this.freshHash()
        if (fresh === actual && this.lastMatched !== null) freshBefore = before === this.state ? fresh : this.freshHash(before)
      } catch {
        fresh = null
      }
      if (freshBefore !== null && freshBefore !== this.lastMatched) {
        // It hashed as recorded when it was checked, and otherwise now: changed in place. Returned
        // as it was given, by this step (whose before and after, the same objects, show nothing);
        // otherwise by this step or an earlier one (the cached hashes did not see it).
        const here = before === this.state
        d.mutatedInPlace = { seq: entry.seq, after: here ? entry.seq - 1 : this.freshAt }
        d.stepNote = here ? stepMutationNote(entry.seq) : earlierMutationNote(d.mutatedInPlace)
      } else if (fresh !== null && fresh !== actual) {
        // The cached hash is stale: the step's before and after (same objects) cannot show its effect.
        d.actualHash = fresh
        d.mutatedInPlace = { seq: entry.seq, after: this.freshAt }
        d.stepNote = mutationNote(d.mutatedInPlace, fresh === expected)
      } else {
        this.localizeStep(d, entry, before, expected)
        if (this.store) {
          // In a `createStore` replay its store's middleware acting within the step is named first,
          // and the redaction hint only where nothing else is, and only where the action's redacted
          // values matter: the step run again in stores of its own (`runAgain`, from the same state)
          // with other texts there reaches another state than with the placeholder (as with
          // `reducer`, below). Without it a step that differs elsewhere (a reducer changed) was said
          // to differ perhaps for the placeholder, whose state was redacted already.
          let redaction = d.hint !== undefined && d.hint === this.redactionHint ? d.hint : undefined
          if (redaction !== undefined) {
            delete d.hint
            redaction = this.storePlaceholderMatters(before, action) ? (this.redactionHint = redactedDecides(d.redacted!)) : undefined
          }
          if (d.hint === undefined) {
            const acted = this.registered.explain(entry) ?? this.registered.dispatchedHint(entry)
            this.storeActed = acted !== undefined
            d.hint = acted ?? this.adaptersExplain(entry, before, action, NOT_RUN) ?? redaction
          }
        }
        if (reduced !== NOT_RUN) {
          this.rerun = { reducer: this.reducer!, before, after: reduced, action: action as Action }
          // The hint that the action's redacted values explain the difference, only where they do:
          // run again with other texts there (the same one for each; distinct ones, in the order of
          // the action and in reverse, for a reducer that sorts or compares them), it reaches
          // another state. (`d.redacted` names them either way, and -u leaves the log as it is.)
          if (d.hint !== undefined && d.hint === this.redactionHint) {
            if (OTHER_VARIANTS.some((other) => this.placeholderMatters(before, swapPlaceholder(action, 0, other), reduced))) d.hint = this.redactionHint = redactedDecides(d.redacted!)
            else delete d.hint
          }
          if (d.hint === undefined) d.hint = this.adaptersExplain(entry, before, action, reduced)
          if (d.hint === undefined && (this.header.redact?.state?.length ?? 0) > 0) d.hint = this.stateRedactionHint(before, action, reduced)
        }
        // Values the log holds in another form, which the step depends on (where no other cause is named,
        // or in place of "it no longer throws" when they are why).
        if (!skipped && threw === undefined && (d.hint === undefined || (recordedThrow(entry) !== undefined && d.hint.startsWith('When recorded')))) {
          const hint = this.lossyHint(entry, before, action, this.store ? this.state : reduced, expected)
          if (hint !== undefined) d.hint = hint
        }
        // (No own `hint` key holding undefined: the type says an optional string.)
        if (d.hint === undefined) delete d.hint
      }
      this.divergence = d
      this.awaitingDiff = true
    }
    this.lastMatched = matched === true ? expected : null
    return true
  }

  /** Puts the step's own effect and, from the log's subtree hashes, where the states part into `d`. */
  private localizeStep(d: Divergence, entry: ActionEntry, before: unknown, expected: string | null): void {
    let after = this.state
    // With redacted state paths, the step's states as the log holds them: a value the reducer put
    // at a redacted path is neither printed nor a difference (the log cannot say what was
    // recorded there). One set of copies for both, so what the step did not touch stays shared.
    const redactor = this.redactor
    if (redactor) {
      const copies = new Map()
      try {
        before = applyRedaction(before, redactor, copies)
        after = applyRedaction(after, redactor, copies)
      } catch {
        // Nested deeper than the stack allows: the full-state comparison says what it can.
        d.stepNote = 'The replayed step is nested too deeply to redact, so its effect is not shown.'
        return
      }
    }
    // One more than is listed, to know that there are more.
    const effect = stepEffect(before, after, MAX_EFFECT_PATHS + 1)
    d.step = redactor ? effect.filter((x) => !sameJson(x.recorded, x.replayed)) : effect
    if (d.step.length > MAX_EFFECT_PATHS) {
      d.step.length = MAX_EFFECT_PATHS
      d.stepTruncated = true
    }
    const hasher = this.opts.serializeState === undefined ? this.hasher : undefined
    let local = localize(entry, before, after, hasher)
    // A path the replayed step changed that is the same in the log (redacted; a Date re-created at
    // the same instant) is no difference.
    if (local !== null) local = local.filter((x) => !(x.recordedKnown && x.recordedHash === undefined && sameJson(x.recorded, x.replayed)))
    if (local !== null) {
      d.stepDiff = local
      d.stepNote =
        local.length > 0
          ? 'From the subtree hashes the log holds for this step: where a recorded value is not in the log, its hash is shown.'
          : 'The subtrees this step changed hash as recorded; the difference is elsewhere in the hash input (`serializeState`, redaction or the hash function).'
    } else if (entry.changed === undefined && hasher !== undefined && expected !== null && expected === this.lastMatched) {
      // The recorded state hashes as the one before the step: the recorded step changed nothing
      // (a recorder with subtree hashes writes no `changed` then), so whatever the replayed step
      // changed is where the states part.
      d.stepDiff = d.step.map(({ path, recorded, replayed, ...rest }) => ({ path, recorded, recordedKnown: true, replayed, ...rest }))
      d.stepNote = 'The recorded step changed nothing (the recorded state hashes as the one before it), so what the replayed step changed is the difference.'
    } else if (entry.changed === undefined) {
      d.stepNote = 'The log has no subtree hashes for this step (record with `subtreeHashes: subtreeHashes()`, from \'redux-flight-recorder\', to have them), so the recorded change is known only from the next full state.'
    }
  }

  /**
   * Whether the step's state depends on redacted values: the reducer run again with another
   * placeholder in them (in the action, or in the state it started from) reaches another state than
   * `reduced` (as the log writes states). Errs towards yes (a reducer that throws, or differs run to run).
   */
  private placeholderMatters(before: unknown, action: unknown, reduced: unknown): boolean {
    return this.rerunStep(before, action, reduced) !== 'same'
  }

  /**
   * With `createStore`: whether the step, run again from `before` in a store of its own with other
   * texts in place of the action's redacted values, reaches another state (as the log writes
   * states) than run so with the placeholder. Errs towards yes (a store that throws, or a step that
   * differs run to run).
   */
  private storePlaceholderMatters(before: unknown, action: unknown): boolean {
    try {
      const base = this.runAgain(before, action)
      if (base === THREW) return true
      const was = this.projected(base)
      return OTHER_VARIANTS.some((other) => {
        const state = this.runAgain(before, swapPlaceholder(action, 0, other))
        return state === THREW || !sameJson(this.projected(state), was)
      })
    } catch {
      return true
    }
  }

  /**
   * The reducer run again on `before` with `action`: whether it reaches another state than `reduced`
   * (as the log writes states; THREW: the step threw, so any state is another), or throws.
   */
  private rerunStep(before: unknown, action: unknown, reduced: unknown): 'same' | 'different' | 'threw' {
    let state: unknown
    try {
      state = this.reducer!(before, action as Action)
    } catch {
      return 'threw'
    }
    try {
      return reduced === THREW || !sameJson(this.projected(state), this.projected(reduced)) ? 'different' : 'same'
    } catch {
      return 'different'
    }
  }

  /**
   * A log that redacts state: when the diverging step's reducer reads a value under a redacted
   * path (run again on the same state with other values there, it reaches another state), the
   * step may differ because of those values, which replay cannot check.
   */
  private stateRedactionHint(before: unknown, action: unknown, reduced: unknown): string | undefined {
    try {
      const redacted = applyRedaction(before, this.redactor)
      const paths = redactedPaths(redacted, '', [])
      if (paths.length === 0 || !STATE_VARIANTS.some((other) => this.placeholderMatters(swapPlaceholder(redacted, 0, other), action, reduced))) return undefined
      return `${READS_REDACTED} (${paths.join(', ')}): replay cannot check those values ("${REDACTED}" where it started from the log, unchecked since), so this step may differ without any change of its own, or from a change under those paths in an earlier step.`
    } catch {
      return undefined // (a getter that throws: the report stands without the hint)
    }
  }

  /**
   * What the adapters (built-in, then the `adapters` option's) say of a divergence at an action
   * none of them handles; `reduced`: the state the step reached (THREW: its reducer threw).
   */
  private adaptersExplain(entry: ActionEntry, before: unknown, action: unknown, reduced: unknown): string | undefined {
    const step: DivergedStep = { entry, action, newStoreAt: this.newStoreAt }
    if (!this.store && this.reducer) step.rerun = (other) => this.rerunStep(before, other, reduced)
    for (const adapter of [...BUILT_IN_ADAPTERS, ...(this.opts.adapters ?? [])]) {
      try {
        if (!adapter.explain || adapter.handles?.(entry.kind)) continue
        const hint = adapter.explain(step)
        if (typeof hint === 'string' && hint !== '') return hint
      } catch {
        // (an adapter that throws explaining: the report stands without it)
      }
    }
    return undefined
  }

  /** After a divergence: notes the first step after which the replayed state hashes as recorded again. */
  private watchConvergence(entry: ActionEntry, expected: string, before: unknown): void {
    if (!this.canVerify) return
    try {
      let same: boolean
      if (this.hasher !== undefined && this.opts.serializeState === undefined) {
        this.hasher.hash(this.state, this.prevHashed)
        this.prevHashed = this.state
        same = hexEquals(expected, this.hasher.hi, this.hasher.lo)
      } else same = this.hashNow() === expected
      if (!same) return
      this.divergence!.convergedAt = { seq: entry.seq, kind: entry.kind }
      if (this.sinceDivergence === 1) this.convergedNext = { unchanged: before === this.state }
    } catch {
      this.prevHashed = undefined
    }
  }

  /** The replay store's state, as replay compares it (see RegisteredView). */
  private storeState(): unknown {
    return this.registered.of(this.store!.getState())
  }

  /** Whether a state hashes to `expected`, the step's recorded hash (`null`: the log cannot say), for adapters' `afterStep`. */
  private matcher(expected: string | null): (state: unknown) => boolean | null {
    return (state) => {
      if (expected === null || !this.canVerify) return null
      const saved = this.prevHashed
      const unchanged = this.state
      this.state = state
      const hash = this.hashNow()
      this.state = unchanged
      this.prevHashed = saved
      return hash === expected
    }
  }

  /**
   * DevTools' instrument inside the recorder, recorded without the opt-in: its `@@INIT` starts a
   * recomputation from its committed state, which for a store built without a preloaded state is
   * `undefined` until something is committed (a reset, a rollback). The recorder notes a state the
   * reducer gets that the log does not end with, but `undefined` is no state to note: where the
   * step does not reach the recorded hash from the replayed state, it is run from `undefined`, as
   * the app's reducer was, and replay goes on with that if it does.
   */
  private instrumentInit(seq: number, action: Action, expected: string | null): void {
    const matches = this.matcher(expected)
    // (A step without a hash, or one that matches: nothing to do.)
    if (matches(this.state) !== false) return
    if (this.store) {
      if (!this.storeWithoutState(expected!, action)) return
    } else {
      const state = this.runAgain(undefined, action)
      if (state === THREW || matches(state) !== true) return
      this.state = state
    }
    // (Said, as it is the recorded state only from no state: an app's own '@@INIT' that resets is checked no further.)
    this.warnings.push(`The @@INIT at seq ${seq} reached the recorded state only from no state (as a DevTools reset runs it): replay went on from there.`)
  }

  /** Built-in adapters (RTK Query's middleware stand-in), then the user's, may adjust the state after the reducer. */
  private afterStep(entry: ActionEntry, before: unknown, matches: (state: unknown) => boolean | null): void {
    for (const adapter of BUILT_IN_ADAPTERS) if (adapter.afterStep) this.state = adapter.afterStep(entry, before, this.state, matches)
    const adapters = this.opts.adapters
    if (adapters !== undefined) for (const adapter of adapters) if (adapter.afterStep) this.state = adapter.afterStep(entry, before, this.state, matches)
  }

  private resolveAction(entry: ActionEntry): unknown {
    let revived: Action | null | undefined
    const adapters = this.opts.adapters
    if (adapters !== undefined) for (const adapter of adapters) {
      try {
        revived = adapter.revive(entry)
      } catch (error) {
        throw new AdapterError('adapter-threw', error)
      }
      if (revived === null) return SKIP
      if (revived !== undefined) return revived
    }
    if (entry.recordable !== false) return entry.action
    // A library's own value the built-in adapters stand in for (RTK Query's upsert mark).
    for (const adapter of BUILT_IN_ADAPTERS) {
      revived = adapter.revive(entry)
      if (revived != null) return revived
    }
    const mode = this.opts.onNonRecordable ?? 'dispatch'
    // Dispatched as its type alone, it would only make the reducer fail or go astray.
    if (mode === 'dispatch' && entry.omitted?.some((o) => o.kind === 'too-large' && o.path === '<root>')) return TOO_LARGE
    // A library's action that lost its functions, with the library's adapter not in use: dispatched
    // as it is, the library fails, and not always at once (redux-persist's PERSIST starts a timer
    // that throws 5 s later, outside the replay). Replay stops before it, with the hint.
    if (typeof mode === 'string' && missingAdapterHint(entry.kind, adapters ?? []) !== undefined) {
      throw new AdapterError(
        'non-recordable',
        new FlightRecorderError('non-recordable', 'The action was not dispatched: its library needs the values the log could not carry.'),
      )
    }
    if (mode === 'dispatch') return entry.action
    if (mode === 'skip') return SKIP
    if (mode === 'fail') {
      throw new AdapterError(
        'non-recordable',
        new FlightRecorderError('non-recordable', `The action lost values JSON cannot carry (${describeOmitted(entry.omitted)}) and \`onNonRecordable\` is 'fail'.`),
      )
    }
    let rebuilt: unknown
    try {
      rebuilt = mode(entry)
    } catch (error) {
      throw new AdapterError('adapter-threw', error)
    }
    return rebuilt === null ? SKIP : rebuilt === undefined ? entry.action : rebuilt
  }

  /** `threwAgain`: the step threw on replay too, as it did when recorded (a hash mismatch then is of the state it kept). */
  private describeDivergence(entry: ActionEntry, reason: DivergenceReason, expected: string | null, actual: string | null, error?: unknown, threwAgain?: { name: string; message: string }): Divergence {
    const d: Divergence = {
      reason,
      seq: entry.seq,
      turn: entry.turn,
      kind: entry.kind,
      action: entry.action,
      expectedHash: expected,
      actualHash: actual,
      diff: null,
      diffAtSeq: null,
    }
    if (Array.isArray(entry.lossy) && entry.lossy.length > 0) d.lossy = entry.lossy
    // Values of the action the log redacts: replay dispatched the placeholder there, so the step
    // may differ for it alone; named whatever the hint (-u does not rewrite the log from them).
    const redacted = this.redactedIn(entry, MAX_REDACTED_NAMED)
    if (redacted.length > 0) d.redacted = redacted
    // An adapter that handles the action type (and revives it, if the log could not carry it) says
    // more than `onNonRecordable`, which replay does not use for it.
    const adapter = (this.opts.adapters ?? []).find((a) => a.handles?.(entry.kind))
    if (entry.recordable === false) d.omitted = entry.omitted ?? []
    if (entry.recordable === false && !adapter) d.hint = hintFor(entry, this.opts.adapters ?? [])
    else {
      if (adapter) {
        d.hint = `The adapter '${adapter.name}' handles this action type; check that it suits the version of the library that recorded the log.`
        let more: string | undefined
        try {
          more = adapter.explain?.({ entry, action: entry.action, newStoreAt: this.newStoreAt })
        } catch {
          more = undefined
        }
        if (typeof more === 'string' && more !== '') d.hint += ` ${more}`
      }
      else if (entry.kind === 'PERFORM_ACTION') d.hint = LIFTED_HINT
      else if (entry.kind === '@@INIT') d.hint = INSTRUMENT_INIT_HINT
      else if (this.newStoreAt !== undefined) {
        d.hint = `The log moved to a new store at seq ${this.newStoreAt} (a hot reload, or a store built again); replay kept the reducer it had. If that store's reducer differs, pass \`onReplaceReducer\` to supply it.`
      } else {
        if (redacted.length > 0) {
          d.hint = `${redactedReplayed(redacted.slice(0, 3))}: a reducer that computes state from them may differ here without any change of its own. Redact that state too (\`redact.state\`).`
          this.redactionHint = d.hint
        }
      }
    }
    // The reducer threw here when recorded (the line says so), and replayed it does not.
    const threw = recordedThrow(entry)
    if (threw !== undefined && reason === 'hash-mismatch' && threwAgain !== undefined) {
      // It throws again: the state it kept differs, so the state before it did.
      const now = crashText(threwAgain.name, threwAgain.message)
      const from = this.uncheckedFrom
      const where =
        from !== undefined && from < entry.seq
          ? `, at ${from === entry.seq - 1 ? `seq ${from}` : `seq ${from}–${entry.seq - 1}`}, where the log holds no hash to check it`
          : ' (or the reducer changed it before throwing)'
      d.hint = `When recorded, the reducer threw at this action (${threw}), and replayed it throws again${now === threw ? '' : ` (${now})`}; the state stays as it was and differs from the recorded one, so it already differed before this step${where}.`
    } else if (threw !== undefined && reason === 'hash-mismatch') {
      // (With values of the action redacted, the placeholder replay dispatched may be why.)
      const redacted = this.redactedIn(entry)
      d.hint = `When recorded, the reducer threw at this action (${threw}) and the state stayed as it was; replayed, it no longer throws. ${redacted.length > 0 ? `${redactedThrowNote(redacted)} update the log (\`flight-recorder rehash\`; -u leaves it as it is).` : "If that is the fix, update the log (`flight-recorder rehash`, or the tests' -u)."}`
    }
    if (error !== undefined) {
      const e = error instanceof Error ? error : new Error(String(error))
      d.error = { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) }
    }
    return d
  }

  /** The paths of the entry's action whose values the log redacts (none when it redacts no action path; `max` at most). */
  private redactedIn(entry: ActionEntry, max = 3): string[] {
    return (this.header.redact?.actions?.length ?? 0) > 0 ? redactedPaths(entry.action, '', [], 0, max) : []
  }

  /** Stops the replay at an entry that could not be replayed at all. */
  private halt(entry: ActionEntry, reason: DivergenceReason, error: unknown): boolean {
    if (!this.divergence) {
      const expected = typeof entry.hash === 'string' ? entry.hash : null
      this.divergence = this.describeDivergence(entry, reason, expected, null, error)
      this.divergence.diffNote = 'Replay stopped here, so no state was compared.'
    } else if (this.awaitingDiff) {
      const what =
        reason === 'reducer-threw'
          ? 'the reducer threw'
          : reason === 'hash-threw'
            ? 'the state could not be hashed'
            : reason === 'non-recordable'
              ? `the action '${entry.kind}' could not be replayed`
              : 'an adapter threw'
      // The adapter that would have let replay go on (redux-persist's PERSIST without reduxPersist()).
      const hint = reason === 'non-recordable' ? missingAdapterHint(entry.kind, this.opts.adapters ?? []) : undefined
      this.divergence.diffNote = `At seq ${entry.seq}, while replaying on to the next full state, ${what} (${errorText(error)}), so no state was compared.${hint === undefined ? '' : ` ${hint}`}`
    }
    this.awaitingDiff = false
    this.done = true
    return false
  }

  /**
   * For a diverging step whose action (its `lossy`) or starting state (the state's lossy values since
   * the last full state) holds values the log keeps in another form: the step run again with each put
   * back in its kind (`restoreForm`; the first 10), then with all of them. The hint names those with
   * which the step ends otherwise (another state, throwing or not), the action's first, and only where
   * the step run again as replayed ends as replay did (a reducer that differs run to run says nothing).
   * `outcome`: the state the step reached (THREW: it threw). A step that threw on values of a kind
   * that cannot be put back (a class instance) gets them named as a maybe.
   */
  private lossyHint(entry: ActionEntry, before: unknown, action: unknown, outcome: unknown, expected: string | null): string | undefined {
    const items: [LossyValue, boolean][] = [
      ...(Array.isArray(entry.lossy) ? entry.lossy : []).map((l): [LossyValue, boolean] => [l, true]),
      ...this.lossy.slice(this.stateLossyFrom).filter((l) => l.where === 'state' && l.seq < entry.seq).map((l): [LossyValue, boolean] => [l, false]),
    ]
    if (items.length === 0 || outcome === NOT_RUN) return undefined
    try {
      const was = outcome === THREW ? THREW : this.projected(outcome)
      // The outcome of the step run again on `st` with `ac`, or `was` where it is replay's.
      const run = (st: unknown, ac: unknown): unknown => {
        const r = this.runAgain(st, ac)
        return (r === THREW || was === THREW ? r === was : sameJson(this.projected(r), was)) ? was : r
      }
      if (run(before, action) !== was) return undefined
      let st = before
      let ac = action
      let reached = was
      const named: string[] = []
      const all: string[] = []
      const left: string[] = []
      for (const [l, own] of items.slice(0, 10)) {
        const text = describeLossy(l, own ? 'action' : 'state')
        const v = all.includes(text) || left.includes(text) ? null : restoreForm(own ? action : before, l)
        if (v === undefined && !/^(date|map|set|non-finite)$/.test(l.kind)) left.push(text)
        if (v == null) continue
        all.push(text)
        if (own) ac = restoreForm(ac, l) ?? ac
        else st = restoreForm(st, l) ?? st
        const r = own ? run(before, v) : run(v, action)
        if (r === was) continue
        named.push(text)
        if (reached === was) reached = r
      }
      if (named.length === 0 && all.length > 1 && (reached = run(st, ac)) !== was) named.push(...all)
      if (named.length > 0) {
        const one = named.length === 1
        const ends = reached === THREW ? 'throws' : `${outcome === THREW ? 'no longer throws and ' : ''}reaches ${expected !== null && this.matcher(expected)(reached) ? 'the recorded' : 'another'} state`
        return `${LOSSY_STEP_HINT} (${named.slice(0, 3).join('; ')}${named.length > 3 ? '; …' : ''}): run again with ${one ? 'it' : 'them'} restored${named.some((t) => / is a (Map|Set):/.test(t)) ? ' (a Map or Set empty)' : ''}, it ${ends}. Updating the log would write states the app never had: keep such values out of actions and state.`
      }
      if (outcome === THREW && left.length > 0) return `The reducer ran on values the log holds in another form (${left.slice(0, 3).join('; ')}), which may be why it threw.`
    } catch {
      // (the report stands without it)
    }
    return undefined
  }

  /** The step run again on `state` with `action` (with `createStore`, in a store of its own): the state it reaches, or THREW. */
  private runAgain(state: unknown, action: unknown): unknown {
    try {
      if (!this.store) return this.reducer!(state, action as Action)
      const store = this.opts.createStore!(state)
      store.dispatch(action)
      return store.getState()
    } catch {
      return THREW
    }
  }

  private fullState(seq: number, recorded: unknown, expected: string | null, label: string): boolean {
    if (this.lost) {
      this.lost = false
      return this.restart(seq, recorded, expected, label)
    }
    if (this.awaitingDiff) {
      this.setDiff(this.divergence!, seq, recorded, label, (diff) => this.equalNote(diff, seq, label), expected)
      this.awaitingDiff = false
      this.done = true
      return false
    }
    let actual: string | null = null
    let differs: boolean
    let mutated = false
    try {
      if (expected !== null && this.canVerify) {
        actual = this.hashNow()
        differs = actual !== expected
        // Hashes cached by reference miss a state mutated in place: hashed afresh, once per full state.
        const fresh = this.freshHash()
        if (fresh !== null && fresh !== actual) {
          actual = fresh
          differs = mutated = true
        } else if (fresh !== null && !differs) this.freshAt = seq
        if (!differs) this.lastMatched = expected
      } else {
        // No hash to check (a log recorded with `hash: false`, or a hash function we do not
        // have): compare the states themselves.
        try {
          differs = diffStates(recorded, this.projected(), 1).length > 0
        } catch (error) {
          // Nested deeper than the comparison can recurse: not compared, which is not a difference.
          if (!(error instanceof RangeError && /call stack/i.test(error.message))) throw error
          this.warnings.push(`The ${label} at seq ${seq} holds a state nested too deeply to compare (${error.message}): it was not checked.`)
          this.unverified++
          return true
        }
      }
    } catch (error) {
      this.divergence = {
        reason: 'hash-threw',
        seq,
        turn: null,
        kind: label,
        action: null,
        expectedHash: expected,
        actualHash: null,
        error: error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: errorText(error) },
        diff: null,
        diffAtSeq: null,
        diffNote: 'The replayed state could not be hashed or serialised, so no state was compared.',
      }
      this.done = true
      return false
    }
    this.checked++
    if (differs) {
      const d: Divergence = { reason: 'state-mismatch', seq, turn: null, kind: label, action: null, expectedHash: expected, actualHash: actual, diff: null, diffAtSeq: null }
      if (mutated) {
        d.mutatedInPlace = { seq, after: this.freshAt }
        d.stepNote = mutationNote(d.mutatedInPlace, actual === expected)
      }
      this.setDiff(d, seq, recorded, label, () => `The replayed state differs from the ${label} at seq ${seq}${this.unverified > 0 ? '; the actions before it were not all hash-checked, so the step that caused it is unknown' : ''}.`, expected)
      this.divergence = d
      this.done = true
      return false
    }
    return true
  }

  /** What the full-state comparison after a divergence means. */
  private equalNote(diff: StateDifference[], seq: number, label: string): string {
    const d = this.divergence!
    if (diff.length > 0) {
      if (d.convergedAt !== undefined) {
        return `State compared at seq ${seq} (${label}), the first full state in the log after the divergence. The difference at seq ${d.seq} is not among these: a later action erased it — after seq ${d.convergedAt.seq} ('${d.convergedAt.kind}') the replayed state hashed as recorded again — so these differences come from actions after that.`
      }
      return `State compared at seq ${seq} (${label}), the first full state in the log after the divergence; later actions may add differences of their own.`
    }
    if (d.mutatedInPlace !== undefined) {
      return `The states at seq ${seq} (${label}) are equal as JSON: the replayed reducer reaches the recorded values, but it mutated the state in place (see above), which Redux forbids.`
    }
    const next = this.convergedNext
    if (d.convergedAt !== undefined && next) {
      if (next.unchanged && !this.storeActed) {
        return `The states at seq ${seq} (${label}) are equal, and the hash recorded at seq ${d.seq} looks wrong (a log edited by hand, or damaged): replayed, the next action, seq ${d.convergedAt.seq} ('${d.convergedAt.kind}'), leaves the state as it is, and the state after it hashes as recorded. Otherwise the reducer acts differently at seq ${d.convergedAt.seq} than when the log was recorded.`
      }
      // (Where the replay store's middleware acted within the step, not a damaged log: it ran what the log holds next.)
      return `The states at seq ${seq} (${label}) are equal, and so is the state after the very next action, seq ${d.convergedAt.seq} ('${d.convergedAt.kind}'): ${this.storeActed ? `the replay store's middleware ran within seq ${d.seq} what the log holds next (see the hint).` : `either that action erased the difference, or the hash recorded at seq ${d.seq} is wrong (a log edited by hand, or damaged).`}`
    }
    if (d.convergedAt !== undefined) {
      return `The states at seq ${seq} (${label}) are equal: a later action erased the difference — after seq ${d.convergedAt.seq} ('${d.convergedAt.kind}') the replayed state hashes as recorded again. The difference is at seq ${d.seq} itself (see above).`
    }
    if (this.sinceDivergence > 0) {
      const n = this.sinceDivergence
      return `The states at seq ${seq} (${label}) are equal as JSON, but ${n} action${n === 1 ? '' : 's'} ran after seq ${d.seq}: they may have erased the difference, or it is in the hash input (\`serializeState\`, redaction or the hash function).`
    }
    return `The states at seq ${seq} (${label}) are equal as JSON and nothing ran after seq ${d.seq}: the difference is in the hash input only (\`serializeState\`, redaction or the hash function).`
  }

  private replaceReducer(entry: Entry): boolean {
    if (this.lost) return true
    const next = this.opts.onReplaceReducer?.(entry)
    if (typeof next !== 'function') {
      const reason = `The log replaces the reducer at seq ${entry.seq}; pass \`onReplaceReducer\` to supply the new reducer. Verification stopped there.`
      if (this.awaitingDiff) this.giveUpDiff(`Replay stopped at seq ${entry.seq} (@@replaceReducer, no \`onReplaceReducer\`) before the next full state, so no state was compared.`)
      else this.stopped = { seq: entry.seq, reason }
      this.done = true
      return false
    }
    const replace = { type: '@@redux/REPLACE' }
    // Recorded as having thrown on the replace action: Redux kept the new reducer and the state.
    const threw = (entry as { threw?: unknown }).threw === true
    if (this.store) {
      if (typeof this.store.replaceReducer !== 'function') {
        this.stopped = { seq: entry.seq, reason: 'The replay store has no `replaceReducer`.' }
        this.done = true
        return false
      }
      try {
        this.store.replaceReducer(next)
      } catch (error) {
        if (!threw) throw error
      }
      this.state = this.storeState()
    } else {
      this.reducer = next
      try {
        this.state = next(this.state, replace)
      } catch (error) {
        if (!threw) throw error
      }
    }
    const expected = typeof (entry as { hash?: unknown }).hash === 'string' ? (entry as { hash: string }).hash : null
    if (expected !== null && this.canVerify && !this.awaitingDiff) {
      const actual = this.hashNow()
      this.checked++
      if (actual !== expected) {
        this.divergence = {
          reason: 'hash-mismatch',
          seq: entry.seq,
          turn: null,
          kind: '@@replaceReducer',
          action: null,
          expectedHash: expected,
          actualHash: actual,
          diff: null,
          diffAtSeq: null,
          hint: 'The state right after the reducer was replaced differs: the reducer given by `onReplaceReducer` does not match the recorded one.',
        }
        this.awaitingDiff = true
      }
    }
    return true
  }

  /** Call after the last entry, with the `@@end` line if the log has one. */
  end(end: EndEntry | undefined): void {
    if (end && !this.done) {
      if (this.opts.until !== undefined && end.seq > this.opts.until) {
        this.giveUpDiff(`Replay stopped at \`until\` (seq ${this.opts.until}) before the next full state in the log, so no state was compared.`)
      } else {
        if (end.seq > this.expectedSeq) {
          this.missingSeen += end.seq - this.expectedSeq
          this.warnings.push(`${missingEntries(this.expectedSeq, end.seq - 1)} before @@end.`)
          if (this.awaitingDiff) this.giveUpDiff(`${missingEntries(this.expectedSeq, end.seq - 1)} after the divergence, so no state was compared.`)
          else {
            this.lost = true
            this.gaps++
          }
        }
        this.stateLossyFrom = this.lossy.length
        this.noteLossy(end.lossy, end.seq, 'state')
        if (typeof end.unwritable === 'string') this.unwritableAt(end.seq, end.unwritable, '@@end', this.lost)
        else this.fullState(end.seq, end.state, end.hash, '@@end')
      }
    }
    this.done = true
  }

  /**
   * The diverging step's reducer run once more on the same state, the clock shifted and
   * Math.random reseeded (as `checkDeterminism` does): where the two runs differ, if they do.
   */
  private checkRerun(d: Divergence): void {
    const r = this.rerun
    this.rerun = undefined
    try {
      if (!r || carriesFunction(r.action, 2)) return
      const again = rerunShifted(r.reducer, r.before, r.action)
      if (!again.ok || again.state === r.after) return
      const after = this.projected(r.after)
      const rerun = this.projected(again.state)
      // A slice the reducer has gained or lost since the step (combineSlices' `inject`, done in
      // place from `onStep`, later in the replay) is no nondeterminism.
      const slices = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? new Set(Object.keys(v)) : null)
      const had = slices(after)
      const has = slices(rerun)
      const topKey = (path: string) => parsePath(path)?.[0] ?? path
      const diff = diffStates(after, rerun, 5 + 64).filter((x) => had === null || has === null || (had.has(topKey(x.path)) && has.has(topKey(x.path))))
      if (diff.length > 0) d.nondeterministic = diff.slice(0, 5)
    } catch {
      // The report stands without it.
    }
  }

  result(): ReplayResult {
    if (this.divergence) {
      this.checkRerun(this.divergence)
      const d = this.divergence
      // A redaction hint rests on a rerun with other placeholders reaching another state, which a
      // reducer that is not deterministic does anyway: the determinism note says why instead.
      if (d.nondeterministic && (d.hint === this.redactionHint || d.hint?.startsWith(READS_REDACTED))) delete d.hint
      if (d.diff) d.diff = d.diff.map(shortenDifference)
      if (d.step) d.step = d.step.map(shortenDifference)
      if (d.stepDiff) d.stepDiff = d.stepDiff.map(shortenDifference)
      if (d.nondeterministic) d.nondeterministic = d.nondeterministic.map(shortenDifference)
    }
    if (this.divergence && this.awaitingDiff) {
      this.divergence.diffNote =
        'The log has no checkpoint or @@end after this step, so the states could not be compared. Record with `checkpointEvery`, or close the recorder so the log ends with @@end, to get a diff.'
      this.awaitingDiff = false
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
    const nothingToCheck = this.steps === 0 && this.skipped === 0 && this.unverified === 0
    // Values the replayed reducer put in the state that JSON, and so the hash, sees in another
    // form, where the log lists none: the recorded state held something else there (a string where
    // replay made a Date, null where it made NaN), and the hash cannot tell.
    const replayOnly = this.replayedLossy.filter((l) => !this.lossySeen.has(lossyKey('state', l)))
    const warnings = replayOnly.map(
      (l) =>
        `Replayed, seq ${l.seq} put a value in the state that the log does not list: ${describeLossy(l, 'state').replace(/ logged as /, ' hashed as ')}. Either the recorded state held another value there, which its hash cannot tell from this one, or the log was written by a recorder that did not list such values yet (before lossy values were tracked).`,
    )
    const result: ReplayResult = {
      ok: !this.divergence && !this.stopped,
      steps: this.steps,
      skipped: this.skipped,
      state: this.state,
      // A last line cut short is an entry lost, as a gap is.
      verified: this.canVerify && !this.wholeStateRedacted && !this.divergence && !this.stopped && this.unverified === 0 && this.gaps === 0 && !this.lost && (this.checked > 0 || nothingToCheck) && !this.warnings.some((w) => INCOMPLETE.test(w)),
      checked: this.checked,
      finalHash,
      lossy: replayOnly.length > 0 ? [...this.lossy, ...replayOnly] : this.lossy,
      warnings: mergeGapWarnings(replayOnly.length > 0 ? [...this.warnings, ...warnings] : this.warnings),
      header: this.header,
    }
    if (this.divergence) result.divergence = this.divergence
    if (this.stopped) result.stopped = this.stopped
    return result
  }
}

const NOT_RUN = Symbol('not run')

/** One lossy value of the log or of a replayed state, as the sets of those seen hold it. */
const lossyKey = (where: 'action' | 'state', l: LossyValue): string => `${where}\u0000${l.kind}\u0000${l.path}`

/** A full state of the log that does not hash to its own recorded hash, said so. */
const editedAt = (label: string, seq: number): string => `The state of the ${label} at seq ${seq} does not hash to its own \`hash\`: the log was edited or damaged there`

/** The header's `lossy_ignored` (strings, and RegExps as `{ regexp, flags }`); what cannot be read is left out. */
function readIgnored(field: unknown): (string | RegExp)[] | undefined {
  if (!Array.isArray(field)) return undefined
  const out: (string | RegExp)[] = []
  for (const p of field) {
    if (typeof p === 'string') out.push(p)
    else if (isRecord(p) && typeof p.regexp === 'string') {
      try {
        out.push(new RegExp(p.regexp, typeof p.flags === 'string' ? p.flags : ''))
      } catch {
        // (not a pattern this engine reads)
      }
    }
  }
  return out
}

/** What the reducer threw at this entry when recorded (`threw`, FORMAT.md), as `Name: message`; undefined when it did not. */
function recordedThrow(entry: ActionEntry): string | undefined {
  const threw = entry.threw as unknown
  if (!isRecord(threw) || typeof threw.name !== 'string') return undefined
  return crashText(threw.name, typeof threw.message === 'string' ? threw.message : '')
}

const THREW = Symbol('threw')

function withThrew<T extends object>(step: T, threw: { name: string; message: string } | undefined): T & { threw?: { name: string; message: string } } {
  return threw === undefined ? step : { ...step, threw }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The logged starting state with the keys (slices, at any depth) that the reducer run on it with
 * Redux's INIT action added or dropped; values both hold stay as logged. The recorded store ran
 * its INIT before the header was written: a reducer that changes the state on every action (a
 * counter of actions) would otherwise count it twice. `logged` itself when no key changed.
 */
function withSlicesOf(logged: unknown, inited: unknown, depth: number): unknown {
  if (logged === inited || !isRecord(logged) || !isRecord(inited) || depth > 64) return logged
  const out: Record<string, unknown> = {}
  let same = true
  let shared = 0
  for (const key of Object.keys(inited)) {
    let value = inited[key]
    if (Object.prototype.hasOwnProperty.call(logged, key)) {
      shared++
      value = withSlicesOf(logged[key], value, depth + 1)
      if (value !== logged[key]) same = false
    } else same = false
    // (defineProperty: a `__proto__` key stays data)
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  }
  return same && shared === Object.keys(logged).length ? logged : out
}

/** Whether `hex` is exactly `hashHex(hi, lo)` (16 lowercase hex digits), without building that string. */
function hexEquals(hex: string, hi: number, lo: number): boolean {
  if (hex.length !== 16) return false
  for (let i = 0, shift = 28; i < 8; i++, shift -= 4) {
    if (hex.charCodeAt(i) !== HEX_CODES[(hi >>> shift) & 15] || hex.charCodeAt(i + 8) !== HEX_CODES[(lo >>> shift) & 15]) return false
  }
  return true
}

/** Key paths of an action where its value is the redaction placeholder (`max` at most). */
function redactedPaths(v: unknown, path: string, out: string[], depth = 0, max = 3): string[] {
  if (v === REDACTED) out.push(path || '<root>')
  else if (typeof v === 'object' && v !== null && depth < 32) {
    for (const k of Object.keys(v)) {
      if (out.length >= max) break
      redactedPaths((v as Record<string, unknown>)[k], joinKey(path, k), out, depth + 1, max)
    }
  }
  return out
}

/** Placeholders `swapPlaceholder` puts in, one each: the same text, distinct texts in order, in the reverse order. */
const SAME_OTHER = (): string => '[another redacted value, for comparison]'
const OTHER_VARIANTS: readonly ((i: number) => unknown)[] = [SAME_OTHER, (i) => `[another redacted value ${String(i).padStart(6, '0')}]`, (i) => `[another redacted value ${String(999999 - i).padStart(6, '0')}]`]
/**
 * For state, `undefined` too: state redaction writes a key holding undefined as the placeholder
 * (docs/FORMAT.md, "Redaction"), so a reducer that tells undefined from a value there (`=== undefined`,
 * `??`) gets a text where the app had none. (Not for actions, where redaction leaves undefined out.)
 */
const STATE_VARIANTS: readonly ((i: number) => unknown)[] = [...OTHER_VARIANTS, () => undefined]

/**
 * The value with every redaction placeholder replaced by another text (of another length), the
 * `i`-th one by `other(i)`: only the containers on the way to a placeholder are copied, the rest
 * is shared (a large state with a few redacted paths is not copied whole).
 */
function swapPlaceholder(v: unknown, depth: number, other: (i: number) => unknown = SAME_OTHER, count = { n: 0 }): unknown {
  if (v === REDACTED) return other(count.n++)
  if (typeof v !== 'object' || v === null || depth >= 32) return v
  if (Array.isArray(v)) {
    let out: unknown[] | undefined
    for (let i = 0; i < v.length; i++) {
      const x = swapPlaceholder(v[i], depth + 1, other, count)
      if (x !== v[i]) (out ??= v.slice())[i] = x
    }
    return out ?? v
  }
  let out: Record<string, unknown> | undefined
  for (const k of Object.keys(v)) {
    const was = (v as Record<string, unknown>)[k]
    const x = swapPlaceholder(was, depth + 1, other, count)
    if (x === was) continue
    if (out === undefined) {
      out = {}
      // (defineProperty: a `__proto__` key stays data)
      for (const j of Object.keys(v)) Object.defineProperty(out, j, { value: (v as Record<string, unknown>)[j], enumerable: true, writable: true, configurable: true })
    }
    out[k] = x
  }
  return out ?? v
}
