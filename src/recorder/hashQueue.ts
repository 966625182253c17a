import { Fr64Hasher } from '../hash'
import { hashHex } from '../hash/hashHex'
import type { ChangedColumn, changedField } from '../hash/subtrees'
import { describe } from '../internal/describe'
import { findLossy, isIgnored, lossyAtPath, warnLossy, type LossyOptions } from '../lossy'
import type { LossyValue } from '../format/types'
import type { Redactor } from '../redact'
import { lossyView, stringifyState } from '../serialize'
import { SLICE_MS, now, ranInline, sliceLater } from '../slices'
import type { Settings } from './options'
import { F_ACTION, F_HASHED, F_HASH_FAILED, type EntryRing } from './ring'

/**
 * Soft bound of the queue: the memory its states keep alive, estimated per waiting state from the
 * last hash (an incremental hash: the entries of the containers it made records for, i.e. those
 * the action replaced; a full hash: its largest container, which a typical action replaces; a
 * hash still under way, the largest container it has started). Past it, each state queued hashes
 * about one more inline (at most one slice, or one state whose hash cannot be cut), so the queue
 * stops growing without a long task on the dispatch path.
 */
const MAX_PENDING_BYTES = 4 * 1024 * 1024
/**
 * The soft bound while a state keeps less than YOUNG_STATE_BYTES alive by the estimate (a replaced
 * container of under ~4,000 entries): V8 allocates such containers in its young generation, where
 * every one still waiting at a scavenge is copied, and promoted at the second. At 4 MiB by the
 * estimate (~3× that in V8's heap) a synchronous burst of dispatches on a 2,000-entity map kept
 * ~12 MB of young states alive: garbage collection took a third of the process and a dispatch
 * cost 2.1–2.7× a bare one (1.5–1.6× at this bound, bench/burst.mjs). Larger containers go
 * to the large-object space, which scavenges do not copy: those keep the 4 MiB bound.
 */
const YOUNG_PENDING_BYTES = 1024 * 1024
const YOUNG_STATE_BYTES = 64 * 1024
/**
 * Hard bound: past it, the oldest states are hashed inline until the queue is back under it. Only a
 * state whose own hash is very slow gets here (the first full hash of a 10 MB state, ~250 ms, lets
 * a few dozen 1 MB-estimate states queue up behind it; `serializeState`, which hashes every state in full).
 */
const HARD_PENDING_BYTES = 16 * MAX_PENDING_BYTES
/** Estimated bytes per entry of a replaced container, and the estimate's floor per state. */
const BYTES_PER_ENTRY = 16
const MIN_STATE_BYTES = 64
/**
 * Before fr64 has measured a state (its first hash, of the starting state, is under way), each
 * waiting state counts this much: a burst right after the store is made hashes inline from its
 * 5th state on, so states of unknown size never pile up behind a long first hash.
 */
const UNMEASURED_STATE_BYTES = MAX_PENDING_BYTES / 4
/** A custom hash function's work is unknown: each state counts this much (1,024 states wait at most). */
const CUSTOM_STATE_BYTES = MAX_PENDING_BYTES / 1024
/** States waiting at most, whatever their size. */
const MAX_PENDING = 1 << 16

/** No projection computed yet for the state at the head of the queue. */
const NONE = Symbol('none')

function redacted(state: unknown, redactor: Redactor | null): unknown {
  return redactor ? JSON.parse(stringifyState(state, redactor)) : state
}

/**
 * Hashes entries' states off the dispatch path, in seq order, in time slices (a state too large
 * for one slice is hashed over several: fr64's `hashUntil`), writing each hash into the ring's
 * columns. Every entry still gets the hash of its own state: `finish()` hashes what waits,
 * synchronously, before anything is serialised.
 */
export class HashQueue {
  private seqs: number[] = []
  private states: unknown[] = []
  private head = 0
  /** Seqs queued whose line writes the full state (see `enqueue`). */
  private readonly fullStates = new Set<number>()
  /** Estimated bytes each waiting state keeps alive (see MAX_PENDING_BYTES). */
  private estimate: number
  /** `estimate` comes from a hash (or a custom hash function's constant), not from UNMEASURED_STATE_BYTES. */
  private measured: boolean
  /** `hashedThrough` promises: the seq each waits for, and its resolve. */
  private waiters: { seq: number; resolve: () => void }[] = []
  /** The seq and (raw) state of the last state whose hash was done (or failed); -1: none yet. */
  private doneSeq = -1
  private doneState: unknown = undefined
  /** The input (after `serializeState`) of the state at the head, once computed: slices go on with it. */
  private headInput: unknown = NONE
  /** fr64's `work` for the last state hashed (custom hash functions: always "large"). */
  private lastWork: number
  private prev: unknown = undefined
  /**
   * The `stateLossy` key of action entries, keyed by seq: lossy values that entered the state with
   * that action (fr64 notices them as it hashes what changed). Entries leave it once the buffer
   * no longer holds their seq (a line can be written more than once: sinks, toJSONL, snapshot).
   */
  readonly stateLossy = new Map<number, LossyValue[]>()
  /** `kind path` of the lossy state values listed since the last full state (whose line lists its own). */
  private readonly lossySeen = new Set<string>()
  private readonly lossyOptions: LossyOptions | undefined
  /** Hashing now: the ring must not be trimmed (its indexes are in use). */
  busy = false
  /** fr64's hasher (the full-state writer shares its key lists: see `keyLists`). */
  readonly hasher: Fr64Hasher | undefined
  private readonly hashFn: ((state: unknown) => string) | undefined
  private readonly serializeState: ((state: unknown) => unknown) | undefined
  private readonly redactor: Redactor | null
  /** The `changed` key of action entries, keyed by seq (with `subtreeHashes`); null without it. */
  readonly changed: ChangedColumn | null
  /** `subtrees.ts`'s `changedField`, given by the `subtreeHashes` option (so apps without it do not ship it). */
  private readonly changedField: typeof changedField | undefined

  constructor(
    settings: Settings,
    private readonly ring: EntryRing,
    /** A hash of an entry (seq > 0) failed; `serialize`: in the `serializeState` projection before it. */
    private readonly onFault: (error: unknown, seq: number, source: 'hash' | 'serialize') => void,
  ) {
    this.hasher = settings.hash === 'fr64' ? new Fr64Hasher(settings.stateRedactor, { collectLossy: true }) : undefined
    this.lossyOptions = settings.lossy
    this.hashFn = typeof settings.hash === 'function' ? settings.hash : undefined
    this.serializeState = settings.serializeState
    this.redactor = settings.stateRedactor
    this.changed = this.hasher !== undefined && settings.subtreeHashes ? (settings.subtreeHashes.column() as ChangedColumn) : null
    this.changedField = settings.subtreeHashes?.field as typeof changedField | undefined
    this.estimate = this.hashFn ? CUSTOM_STATE_BYTES : UNMEASURED_STATE_BYTES
    this.lastWork = this.hashFn ? Infinity : 0
    this.measured = this.hashFn !== undefined
  }

  get enabled(): boolean {
    return this.hasher !== undefined || this.hashFn !== undefined
  }

  /** The memory one state keeps alive that the state before it does not, as estimated from the last hash (see MAX_PENDING_BYTES). */
  get stateBytes(): number {
    return this.measured ? this.estimate : 0
  }

  /** States waiting to be hashed. */
  get pending(): number {
    return this.seqs.length - this.head
  }

  /**
   * Queues the state of entry `seq` (0: the starting state, hashed to warm fr64's cache).
   * `written`: the entry's line holds the full state (the header's, a checkpoint's), and with it
   * its lossy values.
   */
  enqueue(seq: number, state: unknown, written = false): void {
    if (!this.enabled) return
    if (written) this.fullStates.add(seq)
    this.seqs.push(seq)
    this.states.push(state)
    // Past the soft bound about one state's worth inline (one slice); past the hard one, back under it.
    const hard = this.overBound(HARD_PENDING_BYTES)
    const soft = this.estimate < YOUNG_STATE_BYTES ? YOUNG_PENDING_BYTES : MAX_PENDING_BYTES
    if (hard || this.overBound(soft)) {
      const t = now()
      // Up to two states past the soft bound, the inline slice may stop after a large map's key list
      // (a slice off the dispatch path goes on with it: a dispatch and a slice each hold one part of
      // a step); past that, a one-entity step is finished whole, so a synchronous burst of
      // dispatches takes a state off the queue with each one it adds.
      const whole = hard || this.overBound(soft + 2 * this.estimate)
      this.hashWhile(hard ? Infinity : t + SLICE_MS, hard ? HARD_PENDING_BYTES : soft, whole)
      ranInline(t)
    }
    if (this.pending > 0) this.scheduleSlice(false)
  }

  private overBound(bytes: number): boolean {
    const pending = this.pending
    return pending * this.estimate > bytes || pending > MAX_PENDING
  }

  /** Hashes in time slices off the dispatch path (src/slices.ts) while any state waits. */
  private scheduleSlice(keepAlive: boolean): void {
    sliceLater(this.slice, keepAlive)
  }

  private readonly slice = (until: number): boolean => {
    this.hashWhile(until, 0)
    return this.pending > 0
  }

  /** Hashes everything waiting, now. */
  finish(): void {
    this.hashWhile(Infinity, 0)
  }

  /**
   * Resolves once every state queued with a seq up to `seq` is hashed, hashing in slices off the
   * dispatch path meanwhile (and keeping a Node process alive until then).
   */
  hashedThrough(seq: number): Promise<void> {
    if (this.waitingSeq > seq) return Promise.resolve()
    return new Promise((resolve) => {
      this.waiters.push({ seq, resolve })
      this.scheduleSlice(true)
    })
  }

  /** The seq of the first state still waiting to be hashed; Infinity when none waits. */
  get waitingSeq(): number {
    return this.head < this.seqs.length ? this.seqs[this.head] : Infinity
  }

  /**
   * The state after every entry before `waitingSeq` (the last state hashed, or that failed), given
   * that it comes at or after `fromSeq`; otherwise `fallback` (no state entry since then).
   */
  stateBeforeWaiting(fromSeq: number, fallback: unknown): unknown {
    return this.doneSeq >= fromSeq ? this.doneState : fallback
  }

  /**
   * Hashes waiting states in order until `until` (performance.now()) passes, or, with `bound` > 0,
   * until the queue is within `bound` bytes. `whole`: a one-entity step of a large map is finished
   * rather than stopped at `until`.
   */
  private hashWhile(until: number, bound: number, whole = false): void {
    if (this.busy) return
    this.busy = true
    try {
      let small = 0
      while (this.head < this.seqs.length) {
        if (bound > 0 && !this.overBound(bound)) break
        const resumed = bound === 0 && this.headInput !== NONE
        if (!this.hashHead(until, whole)) break
        // The clock is read after a state that took some work, and every 16 small ones. In a slice,
        // a state that took more than one ends it: the next is likely as large, and the part of its
        // step that cannot stop (listing a large map's keys) would run on past the slice. (Inline,
        // past the bound, the queue first gets back within it.)
        if (until !== Infinity && (resumed || ((this.lastWork >= 1024 || ++small % 16 === 0) && now() >= until))) break
      }
      if (this.head === this.seqs.length) {
        this.seqs = []
        this.states = []
        this.head = 0
      } else if (this.head > 4096) {
        this.seqs = this.seqs.slice(this.head)
        this.states = this.states.slice(this.head)
        this.head = 0
      }
    } finally {
      this.busy = false
    }
    if (this.waiters.length > 0) {
      const waiting = this.waitingSeq
      this.waiters = this.waiters.filter((w) => {
        if (w.seq >= waiting) return true
        w.resolve()
        return false
      })
    }
  }

  /** Hashes the state at the head of the queue (or goes on with it); false when `until` passed first. */
  private hashHead(until: number, whole: boolean): boolean {
    const head = this.head
    const seq = this.seqs[head]
    const ring = this.ring
    const full = seq === 0 || (this.fullStates.size > 0 && this.fullStates.delete(seq))
    let projecting = false
    try {
      let input = this.headInput
      if (input === NONE) {
        const state = this.states[head]
        projecting = true
        input = this.headInput = this.serializeState ? this.serializeState(state) : state
        projecting = false
      }
      if (this.hasher) {
        const hasher = this.hasher
        const prev = this.serializeState ? undefined : this.prev
        // Inline two states past the soft bound, a one-entity step of a large map is finished, so that the
        // queue shrinks; otherwise it may stop at the deadline and go on in the next slice.
        if (!hasher.hashUntil(input, until, prev, whole)) {
          // A state whose hash takes several slices (the first, full hash of a large state) is large:
          // the states queued behind it count its largest container so far (as a full hash's do).
          this.estimate = Math.max(this.measured ? this.estimate : MIN_STATE_BYTES, hasher.progress * BYTES_PER_ENTRY)
          this.measured = true
          return false
        }
        const work = (this.lastWork = hasher.work)
        // A full hash's work is the whole state's: what the next state replaces is nearer its largest container.
        this.estimate = Math.max(MIN_STATE_BYTES, (prev === undefined ? hasher.largest : work) * BYTES_PER_ENTRY)
        this.measured = true
        const i = ring.index(seq)
        const isAction = i >= 0 && (ring.flags[i] & F_ACTION) !== 0
        if (this.changed !== null && isAction) this.changed.set(seq, ring.firstSeq, this.changedField!(hasher, input, this.prev))
        this.noteLossy(seq, input, hasher.lossyPaths, isAction, full, hasher.leftOut)
        // (A state hashed without what it could not read: the next one is hashed in full.)
        this.prev = hasher.leftOut.length > 0 ? undefined : input
        if (i >= 0) {
          ring.hi[i] = hasher.hi
          ring.lo[i] = hasher.lo
          ring.flags[i] |= F_HASHED
        }
      } else {
        const h = this.hashFn!(redacted(input, this.redactor))
        if (typeof h !== 'string') throw new TypeError(`The custom \`hash\` function returned ${describe(h)} instead of a string.`)
        const i = ring.index(seq)
        if (i >= 0) {
          ring.strs![i] = h
          ring.flags[i] |= F_HASHED
        }
      }
    } catch (error) {
      this.prev = undefined
      const i = ring.index(seq)
      if (i >= 0) ring.flags[i] |= F_HASH_FAILED
      // seq 0, the starting state, is no entry: the header reports it when it is written.
      if (seq > 0) this.onFault(error, seq, projecting ? 'serialize' : 'hash')
    }
    this.doneSeq = seq
    this.doneState = this.states[head]
    this.states[head] = undefined
    this.headInput = NONE
    this.head = head + 1
    return true
  }

  /**
   * The lossy values fr64 noticed in the state of `seq` (only what it hashed afresh: what entered
   * with this entry): an action's are listed in its line (`stateLossy`) and warned about in
   * development; a line with the full state lists its own, and what is listed once is not again
   * until the next one.
   */
  private noteLossy(seq: number, input: unknown, paths: readonly (string | number)[][], isAction: boolean, full: boolean, leftOut: readonly LossyValue[]): void {
    if (full) this.lossySeen.clear()
    if ((paths.length === 0 && leftOut.length === 0) || !(isAction || full)) return
    const ignored = this.lossyOptions?.ignoredPaths
    let fresh: LossyValue[] | undefined
    // (What the hash left out, listed as it goes: a full state's line lists it again, with its own.
    // Then it hashed a readable copy, whose Maps, Sets and class instances are plain objects: they
    // are found in the state itself, whose cycles the scan passes over; none when it cannot be
    // redacted: its line says why.)
    for (const found of [leftOut, ...(leftOut.length > 0 ? [findLossy(lossyView(input, this.redactor)) ?? []] : paths.map((path) => lossyAtPath(input, path)))]) {
      for (const l of found) {
        const key = l.kind + ' ' + l.path
        if (this.lossySeen.has(key) || isIgnored(l.path, ignored)) continue
        this.lossySeen.add(key)
        if (isAction) (fresh ??= []).push(l)
      }
    }
    if (fresh === undefined) return
    const ring = this.ring
    for (const old of this.stateLossy.keys()) if (old < ring.firstSeq) this.stateLossy.delete(old)
    this.stateLossy.set(seq, fresh)
    if (process.env.NODE_ENV !== 'production' && this.lossyOptions?.warn !== false) warnLossy(fresh, 'state', 'In the state')
  }

  /** The hash of any state, now (for headers and checks); null without a hash or on failure. */
  hashOf(state: unknown): string | null {
    try {
      const input = this.serializeState ? this.serializeState(state) : state
      if (this.hasher) {
        this.hasher.hash(input)
        return hashHex(this.hasher.hi, this.hasher.lo)
      }
      if (this.hashFn) {
        const h = this.hashFn(redacted(input, this.redactor))
        // A hash function that returns a number would otherwise write an invalid header.
        return typeof h === 'string' ? h : null
      }
      return null
    } catch {
      return null
    }
  }

  /** The hash held in ring slot `i` as text, or null when it has none. */
  hashText(i: number): string | null {
    const ring = this.ring
    if (!(ring.flags[i] & F_HASHED)) return null
    return this.hashFn ? ring.strs![i] : hashHex(ring.hi[i], ring.lo[i])
  }
}
