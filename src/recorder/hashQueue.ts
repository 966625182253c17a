import { CompactFr64Hasher as Fr64Hasher } from '../hash/compact'
import { hashHex } from '../hash/hashHex'
import type { ChangedColumn, changedField } from '../hash/subtrees'
import { describe } from '../internal/describe'
import type { Redactor } from '../redact'
import { stringifyState } from '../serialize'
import type { Settings } from './options'
import { F_ACTION, F_HASHED, F_HASH_FAILED, type EntryRing } from './ring'

/** One slice of deferred hashing runs this long at most (ms), then yields to the event loop. */
const SLICE_MS = 8
/**
 * Bound of the queue: the memory its states keep alive, estimated from the work of the last hash
 * (the entries of the containers it made records for: after the first, the containers an action
 * replaced). Past it, the oldest states are hashed inline until the queue fits again.
 */
/**
 * It also bounds the work `finish()` (flush, snapshot, close) may find waiting and do in one task:
 * a few versions of a 10 MB entity state (~1 MB each by this estimate), thousands of small ones.
 */
const MAX_PENDING_BYTES = 4 * 1024 * 1024
/** Estimated bytes per entry of a replaced container, and the estimate's floor per state. */
const BYTES_PER_ENTRY = 16
const MIN_STATE_BYTES = 64
/** A custom hash function's work is unknown: each state counts this much (1,024 states wait at most). */
const CUSTOM_STATE_BYTES = MAX_PENDING_BYTES / 1024
/** States waiting at most, whatever their size. */
const MAX_PENDING = 1 << 16

const now: () => number = () => (typeof performance === 'object' ? performance.now() : Date.now())

let channel: MessageChannel | undefined
const posted: (() => void)[] = []

/** Runs `fn` soon, after pending I/O and timers: setImmediate (unref'd) in Node, a MessageChannel in browsers. */
function schedule(fn: () => void): void {
  if (typeof setImmediate === 'function') {
    const handle = setImmediate(fn) as { unref?: () => void }
    handle.unref?.()
  } else if (typeof MessageChannel === 'function') {
    if (channel === undefined) {
      channel = new MessageChannel()
      channel.port1.onmessage = () => posted.shift()?.()
    }
    posted.push(fn)
    channel.port2.postMessage(null)
  } else {
    setTimeout(fn, 0)
  }
}

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
  private costs: number[] = []
  private head = 0
  /** Estimated bytes the waiting states keep alive (see MAX_PENDING_BYTES). */
  private pendingBytes = 0
  /** Estimate for the next state queued. */
  private estimate: number
  /** The input (after `serializeState`) of the state at the head, once computed: slices go on with it. */
  private headInput: unknown = NONE
  private scheduled = false
  /** fr64's `work` for the last state hashed (custom hash functions: always "large"). */
  private lastWork: number
  private prev: unknown = undefined
  /** Hashing now: the ring must not be trimmed (its indexes are in use). */
  busy = false
  private readonly hasher: Fr64Hasher | undefined
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
    /** A hash of an entry (seq > 0) failed. */
    private readonly onFault: (error: unknown, seq: number) => void,
  ) {
    this.hasher = settings.hash === 'fr64' ? new Fr64Hasher(settings.stateRedactor) : undefined
    this.hashFn = typeof settings.hash === 'function' ? settings.hash : undefined
    this.serializeState = settings.serializeState
    this.redactor = settings.stateRedactor
    this.changed = this.hasher !== undefined && settings.subtreeHashes ? (settings.subtreeHashes.column() as ChangedColumn) : null
    this.changedField = settings.subtreeHashes?.field as typeof changedField | undefined
    this.estimate = this.hashFn ? CUSTOM_STATE_BYTES : MIN_STATE_BYTES
    this.lastWork = this.hashFn ? Infinity : 0
  }

  get enabled(): boolean {
    return this.hasher !== undefined || this.hashFn !== undefined
  }

  /** States waiting to be hashed. */
  get pending(): number {
    return this.seqs.length - this.head
  }

  /** Queues the state of entry `seq` (0: the starting state, hashed to warm fr64's cache). */
  enqueue(seq: number, state: unknown): void {
    if (!this.enabled) return
    this.seqs.push(seq)
    this.states.push(state)
    this.costs.push(this.estimate)
    this.pendingBytes += this.estimate
    if (this.overBound()) this.hashWhile(Infinity, true)
    if (this.pending > 0) this.scheduleSlice()
  }

  private overBound(): boolean {
    return this.pendingBytes > MAX_PENDING_BYTES || this.pending > MAX_PENDING
  }

  /** Hashes one time slice off the dispatch path, then schedules the next while any wait. */
  private scheduleSlice(): void {
    if (this.scheduled) return
    this.scheduled = true
    schedule(() => {
      this.scheduled = false
      this.hashWhile(now() + SLICE_MS, false)
      if (this.pending > 0) this.scheduleSlice()
    })
  }

  /** Hashes everything waiting, now. */
  finish(): void {
    this.hashWhile(Infinity, false)
  }

  /** Hashes waiting states in order until `until` (performance.now()) passes, or, `toBound`, until the queue is within its bound. */
  private hashWhile(until: number, toBound: boolean): void {
    if (this.busy) return
    this.busy = true
    try {
      let small = 0
      while (this.head < this.seqs.length) {
        if (toBound && !this.overBound()) break
        if (!this.hashHead(until)) break
        // The clock is read after a state that took some work, and every 16 small ones.
        if (until !== Infinity && (this.lastWork >= 1024 || ++small % 16 === 0) && now() >= until) break
      }
      if (this.head === this.seqs.length) {
        this.seqs = []
        this.states = []
        this.costs = []
        this.head = 0
      } else if (this.head > 4096) {
        this.seqs = this.seqs.slice(this.head)
        this.states = this.states.slice(this.head)
        this.costs = this.costs.slice(this.head)
        this.head = 0
      }
    } finally {
      this.busy = false
    }
  }

  /** Hashes the state at the head of the queue (or goes on with it); false when `until` passed first. */
  private hashHead(until: number): boolean {
    const head = this.head
    const seq = this.seqs[head]
    const ring = this.ring
    try {
      let input = this.headInput
      if (input === NONE) {
        const state = this.states[head]
        input = this.headInput = this.serializeState ? this.serializeState(state) : state
      }
      if (this.hasher) {
        const hasher = this.hasher
        const prev = this.serializeState ? undefined : this.prev
        if (!hasher.hashUntil(input, until, prev)) return false
        const work = (this.lastWork = hasher.work)
        this.estimate = Math.max(MIN_STATE_BYTES, work * BYTES_PER_ENTRY)
        const i = ring.index(seq)
        if (this.changed !== null && i >= 0 && ring.flags[i] & F_ACTION) this.changed.set(seq, ring.firstSeq, this.changedField!(hasher, input, this.prev))
        this.prev = input
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
      if (seq > 0) this.onFault(error, seq)
    }
    this.states[head] = undefined
    this.pendingBytes -= this.costs[head]
    this.headInput = NONE
    this.head = head + 1
    return true
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
