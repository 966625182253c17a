/**
 * The in-memory entry buffer: a growable ring of columns (typed arrays plus one array of
 * references), so a buffered action costs a few dozen bytes beyond the action object itself.
 * Serialisation happens later, at flush or snapshot time.
 */
export const F_ACTION = 1
/** The entry has a state whose hash belongs in the line (actions, checkpoints, replaceReducer, end). */
export const F_STATE = 2
export const F_HASHED = 4
export const F_HASH_FAILED = 8

/** Turn column values below zero. */
export const TURN_NULL = -1
/** The action carries its own `meta.turn`; read it at serialisation. */
export const TURN_EXPLICIT = -2

export class EntryRing {
  private cap: number
  readonly maxCap: number
  private head = 0
  size = 0
  /** seq of the oldest entry held. */
  firstSeq = 1
  t: Float64Array
  turn: Int32Array
  hi: Uint32Array
  lo: Uint32Array
  flags: Uint8Array
  refs: unknown[]
  strs: (string | null)[] | null = null
  /** The length of each entry's line, once serialised for sinks (or measured, without sinks); 0 before. */
  bytes: Uint32Array
  /** The sum of `bytes` over the entries held: what `maxBytes` bounds between snapshots. */
  heldBytes = 0

  /** Entries held before the recorder trims; the rest of `maxCap` is slack for entries written while trimming is unsafe. */
  readonly limit: number

  constructor(limit: number, customHash: boolean) {
    this.limit = limit
    const maxCap = limit + 256
    this.maxCap = maxCap
    this.cap = Math.min(maxCap, 1024)
    this.t = new Float64Array(this.cap)
    this.turn = new Int32Array(this.cap)
    this.hi = new Uint32Array(this.cap)
    this.lo = new Uint32Array(this.cap)
    this.flags = new Uint8Array(this.cap)
    this.bytes = new Uint32Array(this.cap)
    this.refs = new Array(this.cap)
    if (customHash) this.strs = new Array(this.cap).fill(null)
  }

  get nextSeq(): number {
    return this.firstSeq + this.size
  }

  get full(): boolean {
    return this.size >= this.limit
  }

  get overflowing(): boolean {
    return this.size >= this.maxCap
  }

  /** Index of `seq` in the columns, or -1 when it is not held. */
  index(seq: number): number {
    const offset = seq - this.firstSeq
    if (offset < 0 || offset >= this.size) return -1
    const i = this.head + offset
    return i >= this.cap ? i - this.cap : i
  }

  push(t: number, turn: number, ref: unknown, flags: number): number {
    if (this.size === this.cap) this.grow()
    let i = this.head + this.size
    if (i >= this.cap) i -= this.cap
    this.t[i] = t
    this.turn[i] = turn
    this.flags[i] = flags
    this.bytes[i] = 0
    this.refs[i] = ref
    if (this.strs) this.strs[i] = null
    this.size++
    return i
  }

  /** Forgets the `n` oldest entries. */
  dropFront(n: number): void {
    n = Math.min(n, this.size)
    for (let k = 0; k < n; k++) {
      const i = this.head
      this.refs[i] = undefined
      this.heldBytes -= this.bytes[i]
      this.bytes[i] = 0
      if (this.strs) this.strs[i] = null
      this.head = i + 1 === this.cap ? 0 : i + 1
    }
    this.size -= n
    this.firstSeq += n
  }

  /** Entry `seq`'s line is `n` bytes long (counted once). */
  measured(seq: number, n: number): void {
    const i = this.index(seq)
    if (i < 0 || this.bytes[i] !== 0) return
    this.bytes[i] = n
    this.heldBytes += n
  }

  private grow(): void {
    if (this.cap >= this.maxCap) throw new Error('EntryRing overflow')
    const cap = Math.min(this.maxCap, this.cap * 2)
    // Two contiguous runs (head..end, then 0..wrap) copied with TypedArray.set / Array copies.
    const head = this.head
    const first = Math.min(this.size, this.cap - head)
    const rest = this.size - first
    const typed = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(src: T, dst: T): T => {
      dst.set(src.subarray(head, head + first) as never, 0)
      if (rest > 0) dst.set(src.subarray(0, rest) as never, first)
      return dst
    }
    this.t = typed(this.t, new Float64Array(cap))
    this.turn = typed(this.turn, new Int32Array(cap))
    this.hi = typed(this.hi, new Uint32Array(cap))
    this.lo = typed(this.lo, new Uint32Array(cap))
    this.flags = typed(this.flags, new Uint8Array(cap))
    this.bytes = typed(this.bytes, new Uint32Array(cap))
    const plain = <T>(src: T[], fill: T): T[] => {
      const dst = src.slice(head, head + first)
      for (let k = 0; k < rest; k++) dst.push(src[k])
      for (let k = dst.length; k < cap; k++) dst.push(fill)
      return dst
    }
    this.refs = plain(this.refs, undefined)
    if (this.strs) this.strs = plain(this.strs, null)
    this.head = 0
    this.cap = cap
  }
}
