/** At most this many anchors are kept (each retains a state object). */
const MAX_ANCHORS = 24

export interface Anchor {
  /** The first seq a log can start at from here; `state` is the state before it. */
  readonly seq: number
  readonly state: unknown
}

/**
 * The states the in-memory buffer can start a log from. When there are more than
 * `MAX_ANCHORS`, every other one goes and the spacing doubles (up to `maxEvery`).
 */
export class Anchors {
  list: Anchor[] = []
  private every = 1
  private lastSeq = 0

  constructor(private readonly maxEvery: number) {}

  /** Forgets every anchor; the buffer starts at `seq` from `state`. */
  reset(seq: number, state: unknown): void {
    this.list = [{ seq, state }]
    this.lastSeq = seq
  }

  /** Entry `seq` is about to be written after `state`: keep it as an anchor when it is due. */
  note(seq: number, state: unknown): void {
    if (seq - this.lastSeq < this.every) return
    this.list.push({ seq, state })
    this.lastSeq = seq
    if (this.list.length > MAX_ANCHORS) {
      const kept = [this.list[0]]
      for (let i = 2; i < this.list.length; i += 2) kept.push(this.list[i])
      this.list = kept
      this.every = Math.min(this.every * 2, this.maxEvery)
    }
  }

  /** The first anchor after `seq`. */
  after(seq: number): Anchor | undefined {
    return this.list.find((a) => a.seq > seq)
  }

  /** Forgets the anchors before `seq`. */
  dropBefore(seq: number): void {
    this.list = this.list.filter((a) => a.seq >= seq)
  }
}
