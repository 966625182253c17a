/** At most this many anchors are kept (each retains a state object). */
const MAX_ANCHORS = 24
/**
 * And at most about this much memory in the states they keep alive, as the hash queue estimates a
 * state's (`HashQueue.stateBytes`: what it holds that the state before it does not). A state whose
 * actions replace a 60,000-key entity map keeps ~1 MB by that estimate (~3 MB in V8's heap): 24 of
 * them kept a 10 MB app's heap ~70 MB larger, and its garbage collector ~3× busier.
 */
const MAX_ANCHOR_BYTES = 4 * 1024 * 1024

export interface Anchor {
  /** The first seq a log can start at from here; `state` is the state before it. */
  readonly seq: number
  readonly state: unknown
  /** The memory `state` keeps alive that its predecessor does not (an estimate). */
  readonly bytes: number
}

/**
 * The states the in-memory buffer can start a log from. When there are more than `MAX_ANCHORS`,
 * or they keep more than `MAX_ANCHOR_BYTES` alive, every other one goes and the spacing doubles
 * (up to `maxEvery`). The first is always kept: the buffer starts from it.
 */
export class Anchors {
  list: Anchor[] = []
  private every = 1
  private lastSeq = 0
  private bytes = 0

  constructor(private readonly maxEvery: number) {}

  /** Forgets every anchor; the buffer starts at `seq` from `state`. */
  reset(seq: number, state: unknown, bytes = 0): void {
    this.list = [{ seq, state, bytes }]
    this.lastSeq = seq
    this.bytes = bytes
  }

  /** Entry `seq` is about to be written after `state` (which keeps about `bytes` alive): keep it as an anchor when it is due. */
  note(seq: number, state: unknown, bytes = 0): void {
    if (seq - this.lastSeq < this.every) return
    this.list.push({ seq, state, bytes })
    this.lastSeq = seq
    this.bytes += bytes
    if (this.thin()) this.every = Math.min(this.every * 2, this.maxEvery)
  }

  /** Past the bounds, every other anchor goes (the first stays, and the newest); true when some went. */
  private thin(): boolean {
    const list = this.list
    if (list.length <= MAX_ANCHORS && (this.bytes <= MAX_ANCHOR_BYTES || list.length <= 2)) return false
    const kept = list.filter((_, i) => i % 2 === 0 || i === list.length - 1)
    this.keep(kept)
    return true
  }

  /**
   * A known state between the anchors noted at dispatch: `state` is the state before `seq` (the
   * buffer's bytes past `maxBytes` can then be trimmed to it instead of to a distant anchor).
   */
  insert(seq: number, state: unknown, bytes = 0): void {
    const at = this.list.findIndex((a) => a.seq >= seq)
    if (at === 0 || (at > 0 && this.list[at].seq === seq)) return
    const anchor = { seq, state, bytes }
    if (at < 0) this.list.push(anchor)
    else this.list.splice(at, 0, anchor)
    this.bytes += bytes
    this.thin()
  }

  /** The first anchor after `seq`. */
  after(seq: number): Anchor | undefined {
    return this.list.find((a) => a.seq > seq)
  }

  /** Forgets the anchors before `seq`. */
  dropBefore(seq: number): void {
    this.keep(this.list.filter((a) => a.seq >= seq))
  }

  private keep(list: Anchor[]): void {
    this.list = list
    let bytes = 0
    for (const a of list) bytes += a.bytes
    this.bytes = bytes
  }
}
