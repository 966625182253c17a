import { Fr64Hasher, hashHex } from '../hash'
import type { ChangedColumn, changedField } from '../hash/subtrees'
import { describe } from '../internal/describe'
import type { Redactor } from '../redact'
import { stringifyState } from '../serialize'
import type { Settings } from './options'
import { F_ACTION, F_HASHED, F_HASH_FAILED, type EntryRing } from './ring'

/** States waiting to be hashed off the dispatch path; past this, hashing happens inline. */
const MAX_PENDING = 1024
const BATCH = 512

function schedule(fn: () => void): void {
  if (typeof setImmediate === 'function') {
    const handle = setImmediate(fn) as { unref?: () => void }
    handle.unref?.()
  } else if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      fn()
    }
    channel.port2.postMessage(null)
  } else {
    setTimeout(fn, 0)
  }
}

function redacted(state: unknown, redactor: Redactor | null): unknown {
  return redactor ? JSON.parse(stringifyState(state, redactor)) : state
}

/**
 * Hashes entries' states off the dispatch path, in seq order and in bounded batches, writing each
 * hash into the ring's columns. Every entry still gets the hash of its own state: `finish()`
 * hashes what waits, synchronously, before anything is serialised.
 */
export class HashQueue {
  private seqs: number[] = []
  private states: unknown[] = []
  private head = 0
  private scheduled = false
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
  }

  get enabled(): boolean {
    return this.hasher !== undefined || this.hashFn !== undefined
  }

  /** Queues the state of entry `seq` (0: the starting state, hashed to warm fr64's cache). */
  enqueue(seq: number, state: unknown): void {
    if (!this.enabled) return
    this.seqs.push(seq)
    this.states.push(state)
    const waiting = this.seqs.length - this.head
    if (waiting > MAX_PENDING) this.hashSome(waiting - MAX_PENDING)
    else this.scheduleBatch()
  }

  /** Hashes one bounded batch off the dispatch path, then schedules the next while any wait. */
  private scheduleBatch(): void {
    if (this.scheduled) return
    this.scheduled = true
    schedule(() => {
      this.scheduled = false
      this.hashSome(BATCH)
      if (this.seqs.length > this.head) this.scheduleBatch()
    })
  }

  /** Hashes everything waiting, now. */
  finish(): void {
    this.hashSome(Infinity)
  }

  private hashSome(limit: number): void {
    if (this.busy) return
    this.busy = true
    try {
      let done = 0
      while (this.head < this.seqs.length && done < limit) {
        const seq = this.seqs[this.head]
        const state = this.states[this.head]
        this.states[this.head] = undefined
        this.head++
        done++
        this.hashEntry(seq, state)
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
  }

  private hashEntry(seq: number, state: unknown): void {
    const ring = this.ring
    const i = ring.index(seq)
    try {
      const input = this.serializeState ? this.serializeState(state) : state
      if (this.hasher) {
        const hasher = this.hasher
        hasher.hash(input, this.serializeState ? undefined : this.prev)
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
        if (i >= 0) {
          ring.strs![i] = h
          ring.flags[i] |= F_HASHED
        }
      }
    } catch (error) {
      this.prev = undefined
      if (i >= 0) ring.flags[i] |= F_HASH_FAILED
      // seq 0, the starting state, is no entry: the header reports it when it is written.
      if (seq > 0) this.onFault(error, seq)
    }
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
